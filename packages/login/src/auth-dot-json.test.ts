import { inspect } from "node:util";
import { Secret } from "@codex/wire";
import { describe, expect, it } from "vitest";
import { expectLoginError, registerSecret } from "../test/support/capture.js";
import { readFixture } from "../test/support/tmp.js";
import {
  authDotJsonEquals,
  parseAuthDotJson,
  resolvedAuthMode,
  serializeAuthDotJson,
  serializeAuthDotJsonCompact,
} from "./auth-dot-json.js";
import { encodeIdToken } from "./testing/index.js";

/** Registers every string leaf of a fixture as a secret for the suite-wide leak scan. */
function registerFixtureSecrets(text: string): void {
  const walk = (v: unknown, key: string): void => {
    if (typeof v === "string" && /token|key|OPENAI/i.test(key)) registerSecret(v);
    else if (v && typeof v === "object") for (const [k, c] of Object.entries(v)) walk(c, k);
  };
  walk(JSON.parse(text), "");
}

const EXACT = [
  "auth-chatgpt-upstream.json",
  "auth-chatgpt-minimal-upstream.json",
  "auth-apikey-upstream.json",
  "auth-unknown-fields.json",
];

describe("auth.json round trip", () => {
  it.each(EXACT)("%s is rewritten byte for byte", (name) => {
    const text = readFixture(name);
    registerFixtureSecrets(text);
    const auth = parseAuthDotJson(text);
    expect(serializeAuthDotJson(auth)).toBe(text);
    expect(JSON.parse(serializeAuthDotJsonCompact(auth))).toEqual(JSON.parse(text));
  });

  it("reads the full upstream ChatGPT file field by field", () => {
    const auth = parseAuthDotJson(readFixture("auth-chatgpt-upstream.json"));
    expect(auth.authMode).toBe("chatgpt");
    expect(auth.openaiApiKey).toBeNull();
    expect(auth.tokens?.accountId).toBe("ws-123");
    expect(auth.tokens?.idToken.chatgptAccountId).toBe("ws-123");
    expect(auth.tokens?.refreshToken.reveal()).toBe("rt_fixture_SECRET_1");
    expect(auth.lastRefresh).toBe("2026-04-20T08:15:02.123456789Z");
    expect(auth.agentIdentity).toMatchObject({
      workspaceId: "ws-123",
      chatgptUserId: "user-9",
      agentRuntimeId: "agent-77",
      registeredAt: "2026-04-20T08:16:00Z",
      backgroundTaskId: "task-5",
    });
    const printed = inspect(auth, { depth: 10 }) + JSON.stringify(auth);
    expect(printed).not.toContain("rt_fixture_SECRET_1");
    expect(printed).not.toContain("MC4CAQAwBQYDK2Vw");
  });

  it("loads the Python-era shape and writes account_id null and a UTC last_refresh", () => {
    const text = readFixture("auth-python-era.json");
    registerFixtureSecrets(text);
    const auth = parseAuthDotJson(text);
    expect(resolvedAuthMode(auth)).toBe("chatgpt");
    const out = JSON.parse(serializeAuthDotJson(auth));
    const src = JSON.parse(text);
    expect(out.tokens).toEqual({ ...src.tokens, account_id: null });
    expect(out.last_refresh).toBe("2024-12-31T22:00:00.500Z");
    expect(out.OPENAI_API_KEY).toBeNull();
    expect("auth_mode" in out).toBe(false);
  });

  it("resolves a legacy file holding a key and tokens as apikey", () => {
    const text = readFixture("auth-legacy-key-and-tokens.json");
    registerFixtureSecrets(text);
    expect(resolvedAuthMode(parseAuthDotJson(text))).toBe("apikey");
  });

  it("keeps unknown keys named like Object.prototype members (__proto__, constructor) as data", () => {
    registerSecret("sk-proto-SECRET-1");
    const raw = `{\n  "auth_mode": "apikey",\n  "OPENAI_API_KEY": "sk-proto-SECRET-1",\n  "__proto__": {\n    "polluted": true\n  },\n  "constructor": {\n    "x": 1\n  }\n}`;
    const auth = parseAuthDotJson(raw);
    expect(Object.getPrototypeOf(auth.extra)).toBe(Object.prototype);
    expect((auth.extra as Record<string, unknown>).polluted).toBeUndefined();
    expect(serializeAuthDotJson(auth)).toBe(raw);
  });

  it("keeps unknown fields at the top level and inside tokens, in order, after known keys", () => {
    const auth = parseAuthDotJson(readFixture("auth-unknown-fields.json"));
    expect(auth.extra).toEqual({ future_top_level: "kept", another: { a: 1 } });
    expect(auth.tokens?.extra).toEqual({ future_token_field: { nested: [1, 2] } });
    const keys = Object.keys(JSON.parse(serializeAuthDotJson(auth)));
    expect(keys).toEqual([
      "auth_mode",
      "OPENAI_API_KEY",
      "tokens",
      "last_refresh",
      "future_top_level",
      "another",
    ]);
  });

  it("writes OPENAI_API_KEY as null and omits absent optional keys", () => {
    const text = serializeAuthDotJson({ openaiApiKey: null });
    expect(text).toBe('{\n  "OPENAI_API_KEY": null\n}');
  });

  it("compares whole values", () => {
    const a = parseAuthDotJson(readFixture("auth-apikey-upstream.json"));
    const b = parseAuthDotJson(readFixture("auth-apikey-upstream.json"));
    expect(authDotJsonEquals(a, b)).toBe(true);
    expect(authDotJsonEquals(a, { ...b, openaiApiKey: new Secret("sk-other") })).toBe(false);
    expect(authDotJsonEquals(a, undefined)).toBe(false);
    expect(authDotJsonEquals(undefined, undefined)).toBe(true);
  });
});

describe("bad auth.json", () => {
  const idToken = encodeIdToken({ chatgptAccountId: "ws-1" });
  const tokens = {
    id_token: idToken,
    access_token: "SECRET-at-bad",
    refresh_token: "SECRET-rt-bad",
  };
  registerSecret("SECRET-at-bad");
  registerSecret("SECRET-rt-bad");
  const full = readFixture("auth-chatgpt-upstream.json");
  const cases: Array<[string, string]> = [
    ["empty", ""],
    ["truncated", full.slice(0, full.length / 2)],
    ["not an object", "[]"],
    ["null", "null"],
    ["unknown auth_mode", JSON.stringify({ auth_mode: "magic", OPENAI_API_KEY: null })],
    ["auth_mode number", JSON.stringify({ auth_mode: 1 })],
    ["key as number", JSON.stringify({ OPENAI_API_KEY: 42 })],
    ["tokens as string", JSON.stringify({ tokens: "SECRET-at-bad" })],
    ["missing access_token", JSON.stringify({ tokens: { ...tokens, access_token: undefined } })],
    ["refresh_token number", JSON.stringify({ tokens: { ...tokens, refresh_token: 1 } })],
    ["missing id_token", JSON.stringify({ tokens: { ...tokens, id_token: undefined } })],
    ["unparsable id_token", JSON.stringify({ tokens: { ...tokens, id_token: "SECRET-at-bad" } })],
    ["account_id number", JSON.stringify({ tokens: { ...tokens, account_id: 5 } })],
    ["empty last_refresh", JSON.stringify({ OPENAI_API_KEY: "SECRET-at-bad", last_refresh: "" })],
    ["bad last_refresh", JSON.stringify({ OPENAI_API_KEY: null, last_refresh: "yesterday" })],
    ["agent_identity array", JSON.stringify({ OPENAI_API_KEY: null, agent_identity: [] })],
    [
      "agent_identity missing key",
      JSON.stringify({ OPENAI_API_KEY: null, agent_identity: { workspace_id: "w" } }),
    ],
  ];
  it.each(cases)("%s gives auth_file_corrupt without echoing secrets", async (_name, text) => {
    const err = await expectLoginError(() => parseAuthDotJson(text), "auth_file_corrupt");
    expect(err.message).not.toMatch(/SECRET/);
  });
  it("rejects non-string input", async () => {
    await expectLoginError(() => parseAuthDotJson(42 as unknown as string), "auth_file_corrupt");
  });
});
