/**
 * Conformance against the vendored upstream JSON Schema files (openai/codex, draft-07):
 * 1. messages produced through our types and encoders validate against upstream's schemas;
 * 2. upstream-shaped example messages (composed from the spec) parse with our validators;
 * 3. every place where we differ on purpose is named in its own test.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import { describe, expect, it } from "vitest";
import {
  AccountUpdatedNotification,
  AttestationGenerateResponse,
  type ClientRequestMethod,
  type ClientRequestTable,
  clientRequestSchemas,
  createCodec,
  GetAccountResponse,
  generateJsonSchemaFiles,
  LoginAccountParams,
  type ParamsInput,
  RequestId,
  type ResultInput,
  type ServerRequestTable,
  ThreadStartResponse,
} from "../src/index.js";

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });
const cache = new Map<string, ValidateFunction>();

function upstream(path: string): ValidateFunction {
  let validate = cache.get(path);
  if (validate === undefined) {
    const text = readFileSync(
      fileURLToPath(new URL(`./fixtures/upstream-schema/${path}`, import.meta.url)),
      "utf8",
    );
    validate = ajv.compile(JSON.parse(text) as object);
    cache.set(path, validate);
  }
  return validate;
}

function expectValid(path: string, value: unknown): void {
  const validate = upstream(path);
  const ok = validate(value);
  expect(ok, `${path}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`).toBe(true);
}

function isValid(path: string, value: unknown): boolean {
  return upstream(path)(value) === true;
}

const client = createCodec("client");
const server = createCodec("server");

type ClientParams<M extends ClientRequestMethod> = ParamsInput<ClientRequestTable, M>;

/** Params for every client request, written through our types. */
const clientRequestSamples: {
  [M in ClientRequestMethod]: Array<ClientParams<M>>;
} = {
  initialize: [
    { clientInfo: { name: "acme_desktop", title: "Acme", version: "1.2.0" } },
    {
      clientInfo: { name: "acme", title: null, version: "1" },
      capabilities: {
        experimentalApi: true,
        requestAttestation: true,
        optOutNotificationMethods: ["thread/started"],
      },
    },
    { clientInfo: { name: "acme", version: "1" }, capabilities: null },
  ],
  "account/read": [{}, { refreshToken: false }, { refreshToken: true }],
  "account/login/start": [
    { type: "apiKey", apiKey: "sk-test" },
    { type: "chatgpt" },
    { type: "chatgpt", codexStreamlinedLogin: true },
    { type: "chatgptDeviceCode" },
    { type: "chatgptAuthTokens", accessToken: "eyJ.a.b", chatgptAccountId: "ws-1" },
    {
      type: "chatgptAuthTokens",
      accessToken: "eyJ.a.b",
      chatgptAccountId: "ws-1",
      chatgptPlanType: "pro",
    },
    {
      type: "chatgptAuthTokens",
      accessToken: "eyJ.a.b",
      chatgptAccountId: "ws-1",
      chatgptPlanType: null,
    },
  ],
  "account/login/cancel": [{ loginId: "7c9e6679-7425-40de-944b-e07fc1f90ae7" }],
  "account/logout": [undefined, null],
  "account/rateLimits/read": [undefined, null],
  "thread/start": [
    {},
    {
      model: "gpt-x",
      modelProvider: "openai",
      cwd: "/home/u/project",
      approvalPolicy: "on-request",
      sandbox: "workspace-write",
      config: { a: 1 },
      baseInstructions: null,
      developerInstructions: "be brief",
      personality: "pragmatic",
      ephemeral: true,
      serviceName: "acme",
    },
    {
      approvalPolicy: {
        granular: { mcp_elicitations: true, rules: true, sandbox_approval: false },
      },
    },
  ],
  "turn/start": [
    { threadId: "thr_1", input: [{ type: "text", text: "hi" }] },
    {
      threadId: "thr_1",
      input: [
        {
          type: "text",
          text: "look",
          text_elements: [{ byteRange: { start: 0, end: 4 }, placeholder: null }],
        },
        { type: "image", url: "https://example.com/a.png" },
        { type: "localImage", path: "/tmp/a.png", detail: "high" },
        { type: "skill", name: "s", path: "/skills/s" },
        { type: "mention", name: "m", path: "/m" },
      ],
      cwd: "/p",
      approvalPolicy: "never",
      model: "gpt-x",
      effort: "high",
      summary: "concise",
      personality: "friendly",
      outputSchema: { type: "object" },
    },
  ],
  "turn/interrupt": [{ threadId: "thr_1", turnId: "turn_1" }],
  // v1, served by 0.169 but absent from its generated ClientRequest.json: nothing to validate against
  getAuthStatus: [],
};

describe("messages produced by our types validate against upstream schemas", () => {
  it("every client request validates against ClientRequest.json, JSONRPCRequest.json and JSONRPCMessage.json", () => {
    let id = 0;
    let count = 0;
    for (const [method, samples] of Object.entries(clientRequestSamples)) {
      for (const params of samples) {
        const line = client.encodeRequest(
          id++,
          method as "account/read",
          params as ClientParams<"account/read">,
        );
        const message = JSON.parse(line) as unknown;
        expectValid("ClientRequest.json", message);
        expectValid("JSONRPCRequest.json", message);
        expectValid("JSONRPCMessage.json", message);
        count++;
      }
    }
    expect(count).toBe(24);
  });

  it("string request ids validate too", () => {
    expectValid(
      "ClientRequest.json",
      JSON.parse(client.encodeRequest("req-1", "account/read", {})),
    );
  });

  it("login params validate against v2/LoginAccountParams.json, account/read params against v2/GetAccountParams.json", () => {
    for (const params of clientRequestSamples["account/login/start"])
      expectValid("v2/LoginAccountParams.json", params);
    for (const params of clientRequestSamples["account/read"])
      expectValid("v2/GetAccountParams.json", params);
  });

  it("initialize params and result validate against v1/InitializeParams.json and v1/InitializeResponse.json", () => {
    for (const params of clientRequestSamples.initialize)
      expectValid("v1/InitializeParams.json", params);
    const line = server.encodeResult(0, "initialize", {
      userAgent: "acme_desktop/0.1.0 (Linux; x86_64)",
      platformFamily: "unix",
      platformOs: "linux",
      codexHome: "/home/u/.codex",
    });
    expectValid("v1/InitializeResponse.json", (JSON.parse(line) as { result: unknown }).result);
    expectValid("JSONRPCMessage.json", JSON.parse(line));
  });

  it("account/read results validate against v2/GetAccountResponse.json", () => {
    const results: Array<ResultInput<ClientRequestTable, "account/read">> = [
      { account: null, requiresOpenaiAuth: true },
      { account: { type: "apiKey" }, requiresOpenaiAuth: true },
      {
        account: { type: "chatgpt", email: "a@example.com", planType: "pro" },
        requiresOpenaiAuth: true,
      },
      {
        account: { type: "chatgpt", email: "a@example.com", planType: "unknown" },
        requiresOpenaiAuth: false,
      },
      { requiresOpenaiAuth: false },
    ];
    for (const result of results) {
      const line = server.encodeResult(1, "account/read", result);
      expectValid("v2/GetAccountResponse.json", (JSON.parse(line) as { result: unknown }).result);
    }
  });

  it("account/updated params validate against v2/AccountUpdatedNotification.json", () => {
    for (const params of [
      { authMode: "apikey", planType: null },
      { authMode: "chatgpt", planType: "plus" },
      { authMode: "chatgptAuthTokens", planType: "unknown" },
      { authMode: null, planType: null },
    ] as const) {
      const line = server.encodeNotification("account/updated", params);
      expectValid(
        "v2/AccountUpdatedNotification.json",
        (JSON.parse(line) as { params: unknown }).params,
      );
      expectValid("JSONRPCMessage.json", JSON.parse(line));
    }
  });

  it("server requests validate against ServerRequest.json", () => {
    const samples: Array<[keyof ServerRequestTable, unknown]> = [
      [
        "account/chatgptAuthTokens/refresh",
        { reason: "unauthorized", previousAccountId: "ws-123" },
      ],
      ["account/chatgptAuthTokens/refresh", { reason: "unauthorized", previousAccountId: null }],
      ["account/chatgptAuthTokens/refresh", { reason: "unauthorized" }],
      ["attestation/generate", {}],
    ];
    let id = 0;
    for (const [method, params] of samples) {
      const line = server.encodeRequest(id++, method, params as never);
      expectValid("ServerRequest.json", JSON.parse(line));
      expectValid("JSONRPCMessage.json", JSON.parse(line));
    }
  });

  it("{headerValue} attestation results validate against both stored upstream AttestationGenerateResponse files", () => {
    const line = client.encodeResult(7, "attestation/generate", { headerValue: "v1.b3BhcXVl" });
    const result = (JSON.parse(line) as { result: unknown }).result;
    expectValid("AttestationGenerateResponse.json", result);
    expectValid("variants/AttestationGenerateResponse.seed-era-fork.json", result);
  });

  it("error replies validate against JSONRPCMessage.json and their error member against RpcError.json", () => {
    const line = server.encodeError("a7", { code: -32600, message: "Not initialized" });
    expectValid("JSONRPCMessage.json", JSON.parse(line));
    expectValid("RpcError.json", (JSON.parse(line) as { error: unknown }).error);
    const withData = server.encodeError(3, {
      code: -32600,
      message: "Server is draining; retry after reconnecting",
      data: { reason: "serverShuttingDown" },
    });
    expectValid("RpcError.json", (JSON.parse(withData) as { error: unknown }).error);
  });

  it("every method we cover exists upstream with the same params presence (object methods require params, param-less do not)", () => {
    const text = readFileSync(
      fileURLToPath(new URL("./fixtures/upstream-schema/ClientRequest.json", import.meta.url)),
      "utf8",
    );
    const upstreamVariants = (
      JSON.parse(text) as {
        oneOf: Array<{ properties: { method: { enum: string[] } }; required: string[] }>;
      }
    ).oneOf;
    const ours = JSON.parse(generateJsonSchemaFiles().get("ClientRequest.json")!) as {
      anyOf: Array<{ properties: { method: { const: string } }; required: string[] }>;
    };
    for (const variant of ours.anyOf) {
      const method = variant.properties.method.const;
      // v1 `getAuthStatus` is served by 0.169 but left out of its generated schema
      if (method === "getAuthStatus") continue;
      const theirs = upstreamVariants.find((v) => v.properties.method.enum.includes(method));
      expect(theirs, method).toBeDefined();
      expect([...variant.required].sort(), method).toEqual([...theirs!.required].sort());
    }
    expect(ours.anyOf).toHaveLength(Object.keys(clientRequestSchemas).length);
  });
});

/** Upstream-shaped messages composed from the spec (§1.2, §2.1, §3, §4, §5), as they appear on the wire. */
const SPEC_CLIENT_TO_SERVER = [
  '{"id":1,"method":"account/read","params":{"refreshToken":false}}',
  '{"id":0,"method":"initialize","params":{"clientInfo":{"name":"acme_desktop","title":"Acme","version":"1.2.0"},"capabilities":{"experimentalApi":true,"requestAttestation":true}}}',
  '{"method":"initialized"}',
  '{"id":2,"method":"thread/start","params":{}}',
  '{"id":3,"method":"turn/start","params":{"threadId":"thr_1","input":[{"type":"text","text":"hi"}]}}',
  '{"id":4,"method":"turn/interrupt","params":{"threadId":"thr_1","turnId":"turn_1"}}',
  '{"id":5,"method":"account/login/start","params":{"type":"chatgptAuthTokens","accessToken":"eyJ","chatgptAccountId":"ws-123","chatgptPlanType":null}}',
  '{"id":6,"method":"account/login/cancel","params":{"loginId":"7c9e6679-7425-40de-944b-e07fc1f90ae7"}}',
  '{"id":7,"method":"account/logout"}',
  '{"id":8,"method":"account/rateLimits/read","params":null}',
  '{"id":7,"result":{"token":"v1.b3BhcXVl"}}',
  '{"id":3,"result":{"accessToken":"eyJ","chatgptAccountId":"ws-123","chatgptPlanType":"pro"}}',
];
const SPEC_SERVER_TO_CLIENT = [
  '{"id":1,"result":{"account":null,"requiresOpenaiAuth":true}}',
  '{"method":"account/updated","params":{"authMode":"apikey","planType":null}}',
  '{"id":"a7","error":{"code":-32600,"message":"Not initialized"}}',
  '{"id":0,"result":{"userAgent":"acme_desktop/0.0.0 (…)","codexHome":"/home/u/.codex","platformFamily":"unix","platformOs":"linux"}}',
  '{"method":"account/login/completed","params":{"loginId":null,"success":true,"error":null}}',
  '{"method":"account/rateLimits/updated","params":{"rateLimits":{"limitId":"codex","primary":{"usedPercent":42,"windowDurationMins":300,"resetsAt":1767225600}}}}',
  '{"id":3,"method":"account/chatgptAuthTokens/refresh","params":{"reason":"unauthorized","previousAccountId":"ws-123"}}',
  '{"id":7,"method":"attestation/generate","params":{}}',
  '{"id":2,"result":{"thread":{"id":"thr_1","preview":"","modelProvider":"openai","createdAt":1767225600,"turns":[]},"model":"gpt-x","modelProvider":"openai","cwd":"/home/u/project"}}',
  '{"method":"thread/started","params":{"thread":{"id":"thr_1"}}}',
  '{"id":3,"result":{"turn":{"id":"turn_1","items":[],"status":"inProgress","error":null}}}',
  '{"method":"turn/started","params":{"threadId":"thr_1","turn":{"id":"turn_1","items":[],"status":"inProgress","error":null}}}',
  '{"method":"item/started","params":{"threadId":"thr_1","turnId":"turn_1","item":{"type":"agentMessage","id":"msg_1","text":""}}}',
  '{"method":"item/agentMessage/delta","params":{"threadId":"thr_1","turnId":"turn_1","itemId":"msg_1","delta":"Hel"}}',
  '{"method":"item/completed","params":{"threadId":"thr_1","turnId":"turn_1","item":{"type":"agentMessage","id":"msg_1","text":"Hello"}}}',
  '{"method":"turn/completed","params":{"threadId":"thr_1","turn":{"id":"turn_1","items":[],"status":"completed","error":null}}}',
  '{"method":"error","params":{"error":{"message":"stream disconnected"},"willRetry":true,"threadId":"thr_1","turnId":"turn_1"}}',
];

describe("upstream-shaped example messages parse with our validators", () => {
  it.each(SPEC_CLIENT_TO_SERVER)("server side reads %s", (line) => {
    const decoded = server.decode(line);
    expect(["request", "notification", "response"]).toContain(decoded.kind);
  });

  it.each(SPEC_SERVER_TO_CLIENT)("client side reads %s", (line) => {
    const decoded = client.decode(line);
    expect(["request", "notification", "response", "error"]).toContain(decoded.kind);
  });

  it("the example requests are upstream-valid, so the shapes we accept are the shapes upstream sends", () => {
    for (const line of SPEC_CLIENT_TO_SERVER) {
      const message = JSON.parse(line) as { id?: unknown; method?: string };
      expectValid("JSONRPCMessage.json", message);
      if (message.id !== undefined && message.method !== undefined)
        expectValid("ClientRequest.json", message);
    }
    for (const line of SPEC_SERVER_TO_CLIENT) {
      const message = JSON.parse(line) as { id?: unknown; method?: string };
      expectValid("JSONRPCMessage.json", message);
      if (message.id !== undefined && message.method !== undefined)
        expectValid("ServerRequest.json", message);
    }
  });

  it("example results parse against their method's result schema", () => {
    expect(client.parseResult("account/read", { account: null, requiresOpenaiAuth: true })).toEqual(
      {
        account: null,
        requiresOpenaiAuth: true,
      },
    );
    expect(
      client.parseResult("thread/start", JSON.parse(SPEC_SERVER_TO_CLIENT[8]!).result as unknown)
        .thread.id,
    ).toBe("thr_1");
    expect(server.parseResult("attestation/generate", { token: "v1.b3BhcXVl" })).toEqual({
      token: "v1.b3BhcXVl",
    });
    expect(
      server.parseResult("account/chatgptAuthTokens/refresh", {
        accessToken: "eyJ",
        chatgptAccountId: "ws-123",
        chatgptPlanType: "pro",
      }),
    ).toMatchObject({ chatgptAccountId: "ws-123" });
  });

  it("our validators and upstream's agree on login params, except the named differences", () => {
    const candidates: Array<[unknown, boolean]> = [
      [{ type: "apiKey", apiKey: "k" }, true],
      [{ type: "apiKey" }, false],
      [{ type: "apiKey", apiKey: 1 }, false],
      [{ type: "chatgpt", codexStreamlinedLogin: "yes" }, false],
      [{ type: "chatgptDeviceCode" }, true],
      [{ type: "chatgptAuthTokens", accessToken: "a", chatgptAccountId: "w" }, true],
      [{ type: "chatgptAuthTokens", accessToken: "a", chatgptAccountId: 5 }, false],
      [{ type: "chatgptAuthTokens", chatgptAccountId: "w" }, false],
      [{ type: "password" }, false],
      [{}, false],
    ];
    for (const [value, expected] of candidates) {
      expect(LoginAccountParams.safeParse(value).success, JSON.stringify(value)).toBe(expected);
      expect(isValid("v2/LoginAccountParams.json", value), JSON.stringify(value)).toBe(expected);
    }
  });
});

describe("deliberate differences from the vendored upstream schemas", () => {
  it("DIFFERENCE 1: the earlier chatgptAuthTokens login shape {idToken, accessToken} is accepted by us, rejected by upstream's current schema", () => {
    const legacy = { type: "chatgptAuthTokens", idToken: "id", accessToken: "at" };
    expect(LoginAccountParams.safeParse(legacy).success).toBe(true);
    expect(isValid("v2/LoginAccountParams.json", legacy)).toBe(false);
    expect(
      isValid("ClientRequest.json", { id: 1, method: "account/login/start", params: legacy }),
    ).toBe(false);
  });

  it("DIFFERENCE 2: attestation results — we send {token} (current upstream, spec §4); the only stored upstream file (8ee7bf6a) requires {headerValue}, which we also accept", () => {
    expect(AttestationGenerateResponse.safeParse({ token: "v1.x" }).success).toBe(true);
    expect(isValid("AttestationGenerateResponse.json", { token: "v1.x" })).toBe(false);
    expect(AttestationGenerateResponse.safeParse({ headerValue: "v1.x" }).success).toBe(true);
    expect(isValid("AttestationGenerateResponse.json", { headerValue: "v1.x" })).toBe(true);
  });

  it("DIFFERENCE 3: the earlier refresh result {idToken, accessToken} is accepted by us (no upstream file stored for that result)", () => {
    expect(
      server.parseResult("account/chatgptAuthTokens/refresh", { idToken: "i", accessToken: "a" }),
    ).toEqual({
      idToken: "i",
      accessToken: "a",
    });
  });

  it("DIFFERENCE 4: unrecognised plan types read as 'unknown' (upstream's serde does the same at runtime; its schema enum rejects them)", () => {
    const params = { authMode: "chatgpt", planType: "plan_from_2030" };
    expect(AccountUpdatedNotification.parse(params).planType).toBe("unknown");
    expect(isValid("v2/AccountUpdatedNotification.json", params)).toBe(false);
    const account = {
      account: { type: "chatgpt", email: "a@b.c", planType: "prolite" },
      requiresOpenaiAuth: true,
    };
    expect(GetAccountResponse.parse(account).account).toMatchObject({ planType: "prolite" });
    expect(isValid("v2/GetAccountResponse.json", account)).toBe(false);
  });

  it("DIFFERENCE 5: later auth modes (agentIdentity, personalAccessToken, headers) are accepted by us, not by the stored AuthMode enum", () => {
    const params = { authMode: "agentIdentity", planType: null };
    expect(AccountUpdatedNotification.safeParse(params).success).toBe(true);
    expect(isValid("v2/AccountUpdatedNotification.json", params)).toBe(false);
  });

  it("DIFFERENCE 6: integer request ids are limited to JS safe integers; upstream allows any i64", () => {
    const big = 2 ** 60;
    expect(RequestId.safeParse(big).success).toBe(false);
    expect(isValid("JSONRPCRequest.json", { id: big, method: "account/read" })).toBe(true);
    // Such a request cannot be answered with its exact id, so it is dropped (read as a notification of that method).
    expect(server.decode(`{"id":${big},"method":"account/read","params":{}}`).kind).toBe("dropped");
  });

  it("DIFFERENCE 7: thread/turn objects are checked loosely — spec examples abbreviate them — and unmodelled members pass through", () => {
    const abbreviated = {
      thread: { id: "thr_1" },
      model: "gpt-x",
      modelProvider: "openai",
      cwd: "/p",
    };
    expect(ThreadStartResponse.safeParse(abbreviated).success).toBe(true);
    expect(ThreadStartResponse.parse({ ...abbreviated, serviceTier: "flex" })).toHaveProperty(
      "serviceTier",
      "flex",
    );
  });

  it("DIFFERENCE 8: our generated schemas use anyOf/const where upstream's schemars output uses oneOf/enum (same accepted sets for the tagged unions)", () => {
    const ours = JSON.parse(generateJsonSchemaFiles().get("v2/LoginAccountParams.json")!) as {
      anyOf?: unknown;
      oneOf?: unknown;
    };
    expect(ours.anyOf).toBeDefined();
    expect(ours.oneOf).toBeUndefined();
    const oursAjv = new Ajv({ strict: false, logger: false }).compile(ours as object);
    for (const value of clientRequestSamples["account/login/start"]) {
      expect(oursAjv(value)).toBe(true);
      expect(isValid("v2/LoginAccountParams.json", value)).toBe(true);
    }
  });
});

describe("our generated schema accepts what our validators produce", () => {
  it("every sample request validates against our own ClientRequest.json", () => {
    const ours = new Ajv({ strict: false, logger: false, validateFormats: false }).compile(
      JSON.parse(generateJsonSchemaFiles().get("ClientRequest.json")!) as object,
    );
    let id = 0;
    for (const [method, samples] of Object.entries(clientRequestSamples)) {
      for (const params of samples) {
        const message = JSON.parse(
          client.encodeRequest(
            id++,
            method as "account/read",
            params as ClientParams<"account/read">,
          ),
        ) as unknown;
        expect(ours(message), JSON.stringify(message)).toBe(true);
      }
    }
  });
});
