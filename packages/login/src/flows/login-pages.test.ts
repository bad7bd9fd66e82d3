import { describe, expect, it } from "vitest";
import { errorPageHtml, escapeHtml, successPageHtml } from "./login-pages.js";

describe("login pages", () => {
  it("escapes everything interpolated", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
    );
    const html = errorPageHtml(`x"><script>`, "Sign-in failed: <b>nope</b>");
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>");
    expect(html).toContain("Sign-in failed: &lt;b&gt;nope&lt;/b&gt;");
  });
  it("shows the setup link only when setup is needed", () => {
    expect(successPageHtml({ needsSetup: false, platformUrl: "https://p" })).not.toContain(
      "https://p",
    );
    const page = successPageHtml({ needsSetup: true, platformUrl: "https://p", planType: "<pro>" });
    expect(page).toContain('href="https://p"');
    expect(page).toContain("Plan: &lt;pro&gt;");
  });
});
