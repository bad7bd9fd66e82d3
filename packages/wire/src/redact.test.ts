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
    [
      "pk MFECAQEwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHgSEAq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=",
      "AcHBwcH",
    ],
    ["grant_type=refresh_token&refresh_token=rt-xyz&client_id=app", "rt-xyz"],
  ])("removes the secret from %s", (input, secret) => {
    expect(redactText(input)).not.toContain(secret);
  });

  it.each([
    ["JSON with spaces", '{ "access_token" : "tok-space-1" }', "tok-space-1"],
    ["util.inspect output", inspect({ refresh_token: "tok-inspect-1" }), "tok-inspect-1"],
    ["JSON authorization without a scheme", '{"authorization":"tok-raw-1"}', "tok-raw-1"],
    ["Authorization header line, other scheme", "Authorization: token ghp_tok-line-1", "ghp_tok"],
    ["Cookie header line", "Cookie: session=tok-cookie-1; theme=dark", "tok-cookie-1"],
    ["x-api-key header line", "x-api-key: tok-apikey-1", "tok-apikey-1"],
    ["quoted form body", 'body="refresh_token=tok-quoted-1&x=1"', "tok-quoted-1"],
    ["URL-encoded query", "next=%2Fcb%3Fcode%3Dtok-enc-1%26state%3Dst-enc-1", "tok-enc-1"],
    ["URL-encoded query (state)", "next=%2Fcb%3Fcode%3Dtok-enc-1%26state%3Dst-enc-1", "st-enc-1"],
    ["URL fragment", "https://app.test/cb#access_token=tok-frag-1&x=1", "tok-frag-1"],
    ["single-quoted assignment", "password='tok-pw-1'", "tok-pw-1"],
    ["colon, unquoted", "client_secret: tok-cs-1", "tok-cs-1"],
    ["escaped JSON inside JSON", '{"body":"{\\"id_token\\":\\"tok-nested-1\\"}"}', "tok-nested-1"],
    [
      "device-code JSON",
      '{"authorization_code":"tok-ac-1","code_verifier":"tok-cv-1"}',
      "tok-ac-1",
    ],
  ])("removes the secret from %s", (_name, input, secret) => {
    expect(redactText(input)).not.toContain(secret);
  });

  it.each([
    "process exited with code=1 state=running",
    "failed to revoke refresh_token: 503: Unknown error {}",
    '{"error":{"code":"refresh_token_expired","message":"expired"}}',
    "usage max_tokens=1000 input_tokens: 12 token_count=3",
    "status=500 path=/oauth/token client_id=app_1",
  ])("leaves ordinary text alone: %s", (input) => {
    expect(redactText(input)).toBe(input);
  });

  it("keeps the scheme of an Authorization header line", () => {
    expect(redactText("Authorization: token ghp_abcdef")).toBe("Authorization: token [REDACTED]");
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

  it("keeps counters whose names contain token, and reads Headers entries", () => {
    const headers = new Headers({ authorization: "Bearer hdr-secret", "x-request-id": "r-1" });
    const out = redactValue({ input_tokens: 12, max_output_tokens: 1000, code: 404, headers });
    expect(out).toEqual({
      input_tokens: 12,
      max_output_tokens: 1000,
      code: 404,
      headers: { authorization: "[REDACTED]", "x-request-id": "r-1" },
    });
  });

  it("never spells out binary data, and keeps dates readable", () => {
    const out = redactValue({
      body: new TextEncoder().encode("raw-secret-bytes"),
      buffer: new TextEncoder().encode("raw-secret-bytes").buffer,
      at: new Date("2026-01-02T03:04:05.000Z"),
    });
    expect(out).toEqual({
      body: "[16 bytes]",
      buffer: "[16 bytes]",
      at: "2026-01-02T03:04:05.000Z",
    });
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
