import { describe, expect, it } from "vitest";
import { asciiHeaderValue, buildUserAgent, resolveOriginator } from "./request-headers.js";

describe("request headers", () => {
  it("takes the originator from CODEX_INTERNAL_ORIGINATOR_OVERRIDE, else codex_cli_rs", () => {
    expect(resolveOriginator({})).toBe("codex_cli_rs");
    expect(resolveOriginator({ CODEX_INTERNAL_ORIGINATOR_OVERRIDE: "codex_vscode" })).toBe(
      "codex_vscode",
    );
    expect(resolveOriginator({ CODEX_INTERNAL_ORIGINATOR_OVERRIDE: "" })).toBe("codex_cli_rs");
  });

  it("builds the user agent and replaces non-printable characters", () => {
    expect(
      buildUserAgent({
        originator: "codex_cli_rs",
        version: "0.1.0",
        osType: "Linux",
        osVersion: "6.1",
        arch: "x64",
        terminal: "xterm\u00e9",
        suffix: "ide",
      }),
    ).toBe("codex_cli_rs/0.1.0 (Linux 6.1; x64) xterm_ (ide)");
  });

  it("escapes non-ASCII turn metadata as \\u and drops control characters", () => {
    const value = asciiHeaderValue(JSON.stringify({ path: "/tmp/café" }));
    expect(value).toBe('{"path":"/tmp/caf\\u00e9"}');
    expect(JSON.parse(value as string)).toEqual({ path: "/tmp/café" });
    expect(asciiHeaderValue("a\nb")).toBeUndefined();
  });
});
