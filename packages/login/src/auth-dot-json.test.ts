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
  "auth-0169-chatgpt-agent-identity.json",
  "auth-0169-agent-identity-mode.json",
  "auth-0169-unknown-everywhere.json",
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
    expect(auth.tokens?.oauthProvenance).toMatchObject({
      issuer: "https://auth.openai.com",
      clientId: "app_EMoamEEZ73f0CkXaXp7hrann",
    });
    expect(auth.tokens?.loginOwnerId?.reveal()).toBe("VlnDIzi4j2DfH6uRD4vfJxj3P7xsPyvnPh-pTS5IlB4");
    expect(auth.agentIdentity).toMatchObject({
      accountId: "ws-123",
      chatgptUserId: "user-9",
      agentRuntimeId: "agent-77",
      email: "user@example.com",
      planType: "pro",
      chatgptAccountIsFedramp: false,
      taskId: "task-5",
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

// 0.169's record with every member (§1.1 of login-0169.md), as plain JSON.
const RECORD = {
  agent_runtime_id: "agent-77",
  agent_private_key: "MC4CAQAwBQYDK2VwBCIEILswBefd7Fuu385yQZUpvN+4TKgjj5D1CztaFJ4L9hFz",
  account_id: "ws-123",
  chatgpt_user_id: "user-9",
  email: "user@example.com",
  plan_type: "pro",
  chatgpt_account_is_fedramp: false,
  task_id: "task-5",
};
const REQUIRED_RECORD_KEYS = [
  "agent_runtime_id",
  "agent_private_key",
  "account_id",
  "chatgpt_user_id",
  "plan_type",
  "chatgpt_account_is_fedramp",
] as const;

/** The `agent_identity` member after read + write of a ChatGPT-less file holding `value`. */
function rewrittenIdentity(value: unknown): unknown {
  const text = JSON.stringify({ OPENAI_API_KEY: null, agent_identity: value });
  return JSON.parse(serializeAuthDotJson(parseAuthDotJson(text))).agent_identity;
}

describe("agent_identity as upstream 0.169 reads and writes it", () => {
  it("reads both example files of login-0169.md §6 field by field", () => {
    const chatgpt = parseAuthDotJson(readFixture("auth-0169-chatgpt-agent-identity.json"));
    expect(chatgpt.agentIdentity).toMatchObject({
      agentRuntimeId: "agent-77",
      accountId: "ws-123",
      chatgptUserId: "user-9",
      email: undefined,
      planType: "pro",
      chatgptAccountIsFedramp: false,
      taskId: undefined,
    });
    const mode = parseAuthDotJson(readFixture("auth-0169-agent-identity-mode.json"));
    expect(mode.authMode).toBe("agentIdentity");
    expect(resolvedAuthMode(mode)).toBe("agentIdentity");
    expect(mode.tokens).toBeUndefined();
    expect(mode.agentIdentity).toMatchObject({ email: "user@example.com", taskId: "task-5" });
  });

  it("writes the record members in 0.169's order, unknown keys after them", () => {
    const out = rewrittenIdentity({ future: 1, ...RECORD }) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual([...Object.keys(RECORD), "future"]);
  });

  it.each([
    ["missing", undefined],
    ["null", null],
    ["empty", ""],
  ])("writes a %s email back as an empty string", (_name, email) => {
    expect(rewrittenIdentity({ ...RECORD, email })).toEqual({ ...RECORD, email: "" });
  });

  it.each([
    ["missing", undefined],
    ["null", null],
  ])("omits a %s task_id on write", (_name, taskId) => {
    const { task_id: _t, ...rest } = RECORD;
    expect(rewrittenIdentity({ ...RECORD, task_id: taskId })).toEqual(rest);
  });

  it.each(["galaxy", "Plus", "hc", "education", "unknown"])(
    "keeps plan_type %s verbatim (upstream would write unknown plans as 'unknown')",
    (plan) => {
      expect(rewrittenIdentity({ ...RECORD, plan_type: plan })).toEqual({
        ...RECORD,
        plan_type: plan,
      });
    },
  );

  it.each(["aaa.bbb.ccc", ""])("keeps the string form %j verbatim and secret", (jwt) => {
    const text = JSON.stringify({ OPENAI_API_KEY: null, agent_identity: jwt }, null, 2);
    const auth = parseAuthDotJson(text);
    expect(auth.agentIdentity).toBeUndefined();
    expect(auth.agentIdentityJwt?.reveal()).toBe(jwt);
    expect(serializeAuthDotJson(auth)).toBe(text);
    expect(inspect(auth, { depth: 10 })).not.toContain("aaa.bbb.ccc");
  });

  it("reads a record that also carries the seed-era keys as 0.169's, keeping those keys", () => {
    const superset = {
      ...RECORD,
      workspace_id: "ws-123",
      registered_at: "2026-04-20T08:16:00Z",
      background_task_id: "task-old",
    };
    const auth = parseAuthDotJson(
      JSON.stringify({ OPENAI_API_KEY: null, agent_identity: superset }),
    );
    expect(auth.agentIdentity?.taskId).toBe("task-5");
    expect(rewrittenIdentity(superset)).toEqual(superset);
  });

  it("reads host-owned tokens stored on disk (auth_mode chatgptAuthTokens) and writes them back", () => {
    const text = JSON.stringify(
      {
        auth_mode: "chatgptAuthTokens",
        OPENAI_API_KEY: null,
        tokens: {
          id_token: encodeIdToken({ chatgptAccountId: "ws-1" }),
          access_token: registerSecret("at-host-SECRET"),
          refresh_token: "",
          account_id: "ws-1",
        },
        last_refresh: "2026-12-05T15:18:09.414162406Z",
      },
      null,
      2,
    );
    const auth = parseAuthDotJson(text);
    expect(resolvedAuthMode(auth)).toBe("chatgptAuthTokens");
    expect(serializeAuthDotJson(auth)).toBe(text);
  });

  it("treats absent and null agent_identity alike", () => {
    expect(rewrittenIdentity(null)).toBeUndefined();
  });
});

describe("the seed-era agent_identity record this package wrote before 0.169", () => {
  it("is migrated to 0.169's record on the next write (account, task, email, plan, FedRAMP)", () => {
    const text = readFixture("auth-seed-era-agent-identity.json");
    registerFixtureSecrets(text);
    const auth = parseAuthDotJson(text);
    expect(auth.agentIdentity).toMatchObject({
      accountId: "ws-123",
      chatgptUserId: "user-9",
      email: "user@example.com",
      planType: "pro",
      chatgptAccountIsFedramp: false,
      taskId: "task-5",
    });
    const written = JSON.parse(serializeAuthDotJson(auth));
    const expected = JSON.parse(readFixture("auth-chatgpt-upstream.json"));
    // same file as the 0.169 golden one, which adds only what a 0.169 login writes
    delete expected.tokens.oauth_provenance;
    delete expected.tokens.login_owner_id;
    expect(written).toEqual(expected);
    expect(Object.keys(written.agent_identity)).toEqual(Object.keys(RECORD));
  });

  it("takes the user from the id token when the old record has none, and keeps unknown keys", () => {
    const text = readFixture("auth-seed-era-agent-identity.json");
    const raw = JSON.parse(text);
    delete raw.agent_identity.chatgpt_user_id;
    delete raw.agent_identity.background_task_id;
    raw.agent_identity.future = "kept";
    const written = JSON.parse(serializeAuthDotJson(parseAuthDotJson(JSON.stringify(raw))));
    expect(written.agent_identity).toEqual({
      agent_runtime_id: "agent-77",
      agent_private_key: raw.agent_identity.agent_private_key,
      account_id: "ws-123",
      chatgpt_user_id: "user-9",
      email: "user@example.com",
      plan_type: "pro",
      chatgpt_account_is_fedramp: false,
      future: "kept",
    });
  });

  it("without tokens falls back to an empty user and email and an unknown plan", () => {
    const written = rewrittenIdentity({
      workspace_id: "ws-1",
      agent_runtime_id: "a",
      agent_private_key: "k",
      registered_at: "2026-04-20T08:16:00Z",
    });
    expect(written).toEqual({
      agent_runtime_id: "a",
      agent_private_key: "k",
      account_id: "ws-1",
      chatgpt_user_id: "",
      email: "",
      plan_type: "unknown",
      chatgpt_account_is_fedramp: false,
    });
  });
});

describe("tokens.oauth_provenance and login_owner_id", () => {
  const base = JSON.parse(readFixture("auth-chatgpt-upstream.json"));
  it("are optional: absent or null are omitted on write", () => {
    for (const value of [undefined, null]) {
      const raw = {
        ...base,
        tokens: { ...base.tokens, oauth_provenance: value, login_owner_id: value },
      };
      const written = JSON.parse(serializeAuthDotJson(parseAuthDotJson(JSON.stringify(raw))));
      expect(Object.keys(written.tokens)).toEqual([
        "id_token",
        "access_token",
        "refresh_token",
        "account_id",
      ]);
    }
  });

  it("keep unknown keys inside oauth_provenance", () => {
    const auth = parseAuthDotJson(readFixture("auth-0169-unknown-everywhere.json"));
    expect(auth.tokens?.oauthProvenance?.extra).toEqual({ future_provenance: { x: 1 } });
    expect(auth.agentIdentity?.extra).toEqual({ future_record: [1] });
    expect(auth.tokens?.extra).toEqual({ future_token: "kept" });
    expect(auth.extra).toEqual({ future_top: true });
  });

  it("the owner id never prints", () => {
    const auth = parseAuthDotJson(readFixture("auth-chatgpt-upstream.json"));
    expect(inspect(auth, { depth: 10 }) + JSON.stringify(auth)).not.toContain("VlnDIzi4");
  });
});

describe("last_refresh", () => {
  it.each([
    ["2026-12-05T15:18:09.414162406Z", "2026-12-05T15:18:09.414162406Z"],
    ["2026-04-20T10:15:02.5+02:00", "2026-04-20T08:15:02.500Z"],
    ["2026-04-20T08:15:02Z", "2026-04-20T08:15:02Z"],
  ])("reads %s with its nanoseconds and writes %s", (input, output) => {
    const auth = parseAuthDotJson(JSON.stringify({ OPENAI_API_KEY: null, last_refresh: input }));
    expect(auth.lastRefresh).toBe(output);
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
    ["agent_identity number", JSON.stringify({ OPENAI_API_KEY: null, agent_identity: 5 })],
    ...REQUIRED_RECORD_KEYS.map((key): [string, string] => [
      `agent_identity without ${key}`,
      JSON.stringify({ OPENAI_API_KEY: null, agent_identity: { ...RECORD, [key]: undefined } }),
    ]),
    [
      "agent_identity fedramp as string",
      JSON.stringify({
        OPENAI_API_KEY: null,
        agent_identity: { ...RECORD, chatgpt_account_is_fedramp: "no" },
      }),
    ],
    [
      "oauth_provenance without client_id",
      JSON.stringify({
        tokens: { ...tokens, oauth_provenance: { issuer: "https://auth.openai.com" } },
      }),
    ],
    [
      "oauth_provenance as string",
      JSON.stringify({ tokens: { ...tokens, oauth_provenance: "https://auth.openai.com" } }),
    ],
    ["login_owner_id number", JSON.stringify({ tokens: { ...tokens, login_owner_id: 5 } })],
    ["auth_mode of a later release", JSON.stringify({ auth_mode: "apiKey" })],
  ];
  it.each(cases)("%s gives auth_file_corrupt without echoing secrets", async (_name, text) => {
    const err = await expectLoginError(() => parseAuthDotJson(text), "auth_file_corrupt");
    expect(err.message).not.toMatch(/SECRET/);
  });
  it("names the field and what it must be, never its value", async () => {
    const key = registerSecret("SECRET-agent-key-bad");
    const cases: Array<[unknown, string]> = [
      [5, "agent_identity must be a string (the JWT form) or a record object"],
      [
        { ...RECORD, agent_private_key: key, account_id: undefined },
        "agent_identity: account_id is missing",
      ],
      [
        { ...RECORD, agent_private_key: key, chatgpt_account_is_fedramp: "no" },
        "agent_identity: chatgpt_account_is_fedramp must be a boolean",
      ],
    ];
    for (const [agent, message] of cases) {
      const text = JSON.stringify({ OPENAI_API_KEY: null, agent_identity: agent });
      const err = await expectLoginError(() => parseAuthDotJson(text), "auth_file_corrupt");
      expect(err.message).toContain(message);
      expect(err.message).not.toContain(key);
    }
  });
  it("rejects non-string input", async () => {
    await expectLoginError(() => parseAuthDotJson(42 as unknown as string), "auth_file_corrupt");
  });
});
