import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { redactText, redactUrl, redactValue } from "./redact.js";
import { Secret } from "./secret.js";

const JWT = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyIn0.c2ln";

describe("redactText", () => {
  it.each([
    ["Authorization: Bearer abc.def-ghi", "abc.def-ghi"],
    ["AgentAssertion eyJhZ2VudF9ydW50aW1lX2lkIjoiYSJ9", "eyJhZ2VudF9ydW50aW1lX2lkIjoiYSJ9"],
    [`id_token is ${JWT}`, JWT],
    ["key sk-proj-abcdef123456", "abcdef123456"],
    ["https://alice:pw123@example.com/x", "pw123"],
    ["/auth/callback?code=the-code&state=the-state", "the-code"],
    ["/auth/callback?code=the-code&state=the-state", "the-state"],
    ['{"refresh_token":"rt-1","x":1}', "rt-1"],
    ['{"OPENAI_API_KEY":"plainkey"}', "plainkey"],
    ["pk MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH", "AcHBwcH"],
    ["grant_type=refresh_token&refresh_token=rt-xyz&client_id=app", "rt-xyz"],
  ])("removes the secret from %s", (input, secret) => {
    expect(redactText(input)).not.toContain(secret);
  });

  it("keeps harmless text and parameter names", () => {
    expect(redactText("status=500 path=/oauth/token client_id=app_1")).toBe(
      "status=500 path=/oauth/token client_id=app_1",
    );
    expect(redactText("?code=abc&x=1")).toBe("?code=[REDACTED]&x=1");
  });
});

describe("redactUrl", () => {
  it("drops credentials and sensitive query values, keeps the rest", () => {
    const out = redactUrl(
      "https://u:p@host.test/cb?code=c1&state=s1&code_verifier=v1&scope=openid",
    );
    expect(out).toBe(
      "https://[REDACTED]@host.test/cb?code=[REDACTED]&state=[REDACTED]&code_verifier=[REDACTED]&scope=openid",
    );
  });

  it("falls back to text redaction for unparseable input", () => {
    expect(redactUrl("::bad?code=zzz")).not.toContain("zzz");
  });
});

describe("redactValue", () => {
  it("redacts sensitive keys, Secret instances, nested strings and errors", () => {
    const error = Object.assign(new Error(`refresh failed for ${JWT}`), { code: "E_REFRESH" });
    const out = redactValue({
      access_token: "at-1",
      nested: { apiKey: "k-1", list: [new Secret("s-1"), `Bearer b-1`] },
      error,
      ok: true,
      count: 3,
      hasCode: false,
    });
    const text = JSON.stringify(out);
    for (const secret of ["at-1", "k-1", "s-1", "b-1", JWT]) expect(text).not.toContain(secret);
    expect(out).toMatchObject({ ok: true, count: 3, hasCode: false, error: { code: "E_REFRESH" } });
  });

  it("bounds depth on cyclic-looking deep input", () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    expect(JSON.stringify(redactValue(deep))).toContain("[Truncated]");
  });
});

describe("Secret", () => {
  it("never prints its value through string, JSON or inspect", () => {
    const s = new Secret("top-secret-value");
    expect(`${s}`).toBe("[REDACTED]");
    expect(JSON.stringify({ s })).toBe('{"s":"[REDACTED]"}');
    expect(inspect({ s }, { depth: 5, showHidden: true })).not.toContain("top-secret-value");
    expect(s.reveal()).toBe("top-secret-value");
    expect(s.equals(new Secret("top-secret-value"))).toBe(true);
    expect(s.equals(new Secret("other"))).toBe(false);
    expect(new Secret("").isEmpty).toBe(true);
  });

  it("rejects a non-string value", () => {
    expect(() => new Secret(42 as unknown as string)).toThrow(TypeError);
  });
});
