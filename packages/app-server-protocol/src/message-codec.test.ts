import { describe, expect, it } from "vitest";
import { INVALID_PARAMS_ERROR_CODE, INVALID_REQUEST_ERROR_CODE } from "./error-codes.js";
import { createCodec, type IncomingMessage, type Role } from "./message-codec.js";
import { AppServerProtocolError } from "./protocol-error.js";

const server = createCodec("server");
const client = createCodec("client");

function kindOf<R extends Role>(message: IncomingMessage<R>): string {
  return message.kind === "dropped" || message.kind === "rejected"
    ? `${message.kind}:${message.reason}`
    : message.kind;
}

describe("createCodec().decode classifies every input and never throws", () => {
  const cases: Array<[string, string, string]> = [
    ["invalid JSON", "{not json", "dropped:invalid_json"],
    ["truncated JSON", '{"id":1,"method":"account/read"', "dropped:invalid_json"],
    ["empty line", "", "dropped:invalid_json"],
    ["a JSON array", "[1,2]", "dropped:invalid_message"],
    ["a JSON string", '"hello"', "dropped:invalid_message"],
    ["null", "null", "dropped:invalid_message"],
    ["an object with no known members", '{"foo":1}', "dropped:invalid_message"],
    ["a response with a boolean id", '{"id":true,"result":{}}', "dropped:invalid_message"],
    [
      "an error with a non-integer code",
      '{"id":1,"error":{"code":1.5,"message":"x"}}',
      "dropped:invalid_message",
    ],
    [
      "a method that is not a string (usable id: answered)",
      '{"id":1,"method":7}',
      "rejected:invalid_request",
    ],
    ["an id-only object", '{"id":1}', "dropped:invalid_message"],
    [
      "params without a method (usable id: answered)",
      '{"id":"r","params":{}}',
      "rejected:invalid_request",
    ],
    ["a method with an unusable id", '{"id":{"a":1},"method":7}', "dropped:invalid_message"],
    [
      "a request whose trace cannot be decoded (usable id: answered)",
      '{"id":1,"method":"account/read","params":{},"trace":5}',
      "rejected:invalid_request",
    ],
    [
      "a method upstream serves that this package does not model",
      '{"id":1,"method":"thread/fork","params":{}}',
      "rejected:unsupported_method",
    ],
    [
      "unknown request method",
      '{"id":1,"method":"no/such/method","params":{}}',
      "rejected:unknown_method",
    ],
    [
      "wrong param types",
      '{"id":1,"method":"account/read","params":{"refreshToken":"yes"}}',
      "rejected:invalid_params",
    ],
    [
      "missing params of an object method",
      '{"id":1,"method":"account/read"}',
      "rejected:invalid_params",
    ],
    [
      "param-less request with {} (0.169 decodes it)",
      '{"id":1,"method":"account/logout","params":{}}',
      "request",
    ],
    [
      "param-less request with a non-object",
      '{"id":1,"method":"account/logout","params":5}',
      "rejected:invalid_params",
    ],
    [
      "missing required field",
      '{"id":"x","method":"account/login/cancel","params":{}}',
      "rejected:invalid_params",
    ],
    ["unknown notification", '{"method":"thread/archived","params":{}}', "dropped:unknown_method"],
    [
      "notification with wrong params",
      '{"method":"initialized","params":{"a":1}}',
      "dropped:invalid_params",
    ],
    [
      "valid request",
      '{"id":1,"method":"account/read","params":{"refreshToken":false}}',
      "request",
    ],
    ["valid param-less request", '{"id":2,"method":"account/logout"}', "request"],
    ["valid notification", '{"method":"initialized"}', "notification"],
    ["response", '{"id":1,"result":{"account":null,"requiresOpenaiAuth":true}}', "response"],
    ["response with null result", '{"id":1,"result":null}', "response"],
    ["error reply", '{"id":"a7","error":{"code":-32600,"message":"Not initialized"}}', "error"],
  ];
  it.each(cases)("%s", (_name, line, expected) => {
    expect(kindOf(server.decode(line))).toBe(expected);
  });

  it("replies -32600 Invalid request to an unknown method and to bad params, echoing the id type", () => {
    const unknown = server.decode('{"id":"s-1","method":"nope","params":{}}');
    expect(unknown).toMatchObject({
      kind: "rejected",
      reply: {
        id: "s-1",
        error: { code: -32600, message: expect.stringMatching(/^Invalid request: /) },
      },
    });
    const bad = server.decode('{"id":9,"method":"turn/start","params":{"threadId":1,"input":[]}}');
    expect(bad).toMatchObject({
      kind: "rejected",
      reason: "invalid_params",
      reply: {
        id: 9,
        error: {
          code: -32600,
          message: "Invalid request: invalid type: integer `1`, expected a string",
        },
      },
    });
    const missing = server.decode('{"id":10,"method":"turn/start"}');
    expect(missing).toMatchObject({
      kind: "rejected",
      reason: "invalid_params",
      reply: { id: 10, error: { code: -32600 } },
    });
  });

  it("never answers bad params with -32602 (upstream's serde decoding answers -32600; -32602 is only for handlers)", () => {
    const replies = [
      '{"id":1,"method":"account/login/start","params":{"type":"apiKey"}}',
      '{"id":2,"method":"turn/interrupt","params":{}}',
      '{"id":3,"method":"initialize"}',
    ].map((line) => server.decode(line));
    for (const reply of replies) {
      expect(reply.kind).toBe("rejected");
      if (reply.kind !== "rejected") continue;
      expect(reply.reply.error.code).toBe(INVALID_REQUEST_ERROR_CODE);
      expect(reply.reply.error.code).not.toBe(INVALID_PARAMS_ERROR_CODE);
    }
  });

  it("quotes only the offending scalar in a rejection (as serde does, to the sender only), never other values", () => {
    const secret = "sk-super-secret-value";
    const bad = server.decode(
      JSON.stringify({
        id: 1,
        method: "account/login/start",
        params: { type: "apiKey", apiKey: 42, x: secret },
      }),
    );
    expect(JSON.stringify(bad)).not.toContain(secret);
    const badEnum = server.decode(
      JSON.stringify({ id: 1, method: "thread/start", params: { sandbox: "nope", x: secret } }),
    );
    expect(badEnum.kind).toBe("rejected");
    expect(JSON.stringify(badEnum)).not.toContain(secret);
    const note = client.decode(
      JSON.stringify({ method: "account/updated", params: { authMode: secret } }),
    );
    expect(note.kind).toBe("dropped");
    expect(JSON.stringify(note)).not.toContain(secret);
  });

  it("accepts and ignores a jsonrpc member", () => {
    const msg = server.decode('{"jsonrpc":"2.0","id":1,"method":"account/read","params":{}}');
    expect(msg).toEqual({ kind: "request", id: 1, method: "account/read", params: {} });
  });

  it("keeps the trace context of a request", () => {
    const msg = server.decode(
      '{"id":1,"method":"account/read","params":{},"trace":{"traceparent":"00-abc-def-01"}}',
    );
    expect(msg).toMatchObject({ kind: "request", trace: { traceparent: "00-abc-def-01" } });
  });

  it("drops a message over the size limit before parsing it", () => {
    const small = createCodec("server", { maxMessageBytes: 64 });
    const line = JSON.stringify({
      id: 1,
      method: "account/read",
      params: { pad: "x".repeat(100) },
    });
    expect(small.decode(line)).toMatchObject({ kind: "dropped", reason: "message_too_large" });
    // Multi-byte text counts in UTF-8 bytes, not UTF-16 units.
    const wide = `{"method":"initialized","params":null,"p":"${"é".repeat(30)}"}`;
    expect(wide.length).toBeLessThan(100);
    expect(createCodec("server", { maxMessageBytes: 80 }).decode(wide).kind).toBe("dropped");
  });

  it("reads an object with method and an unusable id as a notification, like upstream's untagged enum", () => {
    expect(server.decode('{"id":1.5,"method":"initialized"}')).toEqual({
      kind: "notification",
      method: "initialized",
      params: undefined,
    });
  });

  it("routes by role: the client side knows server requests and notifications", () => {
    expect(client.decode('{"id":0,"method":"attestation/generate","params":{}}').kind).toBe(
      "request",
    );
    expect(client.decode('{"id":0,"method":"account/read","params":{}}').kind).toBe("rejected");
    expect(server.decode('{"method":"account/updated","params":{}}').kind).toBe("dropped");
    expect(
      client.decode('{"method":"account/updated","params":{"authMode":"apikey","planType":null}}'),
    ).toEqual({
      kind: "notification",
      method: "account/updated",
      params: { authMode: "apikey", planType: null },
    });
  });
});

describe("serde-style texts of 0.169", () => {
  const texts: Array<[string, string]> = [
    [
      '{"id":1,"method":"account/login/start","params":{"type":"apiKey"}}',
      "Invalid request: missing field `apiKey`",
    ],
    [
      '{"id":1,"method":"account/login/start","params":{"type":"bogus"}}',
      "Invalid request: unknown variant `bogus`, expected one of `apiKey`, `chatgpt`, `chatgptDeviceCode`, `chatgptAuthTokens`, `amazonBedrock`, `amazonBedrockAccessKeys`",
    ],
    ['{"id":1,"method":"account/login/start"}', "Invalid request: missing field `params`"],
    ['{"id":1,"method":"account/read"}', "Invalid request: missing field `params`"],
    [
      '{"id":1,"method":"account/read","params":{"refreshToken":"yes"}}',
      'Invalid request: invalid type: string "yes", expected a boolean',
    ],
    [
      '{"id":1,"method":"account/login/cancel","params":{}}',
      "Invalid request: missing field `loginId`",
    ],
    [
      '{"id":1,"method":"account/login/start","params":{"type":"chatgptAuthTokens","accessToken":"a"}}',
      "Invalid request: missing field `chatgptAccountId`",
    ],
    [
      '{"id":1,"method":"initialize","params":{"clientInfo":{"version":"1"}}}',
      "Invalid request: missing field `name`",
    ],
    [
      '{"id":1,"method":"initialize","params":{"clientInfo":{"name":"a","version":"1"},"capabilities":{"requestAttestation":null}}}',
      "Invalid request: invalid type: null, expected a boolean",
    ],
    ['{"id":1,"method":"account/read","params":null}', "Invalid request: missing field `params`"],
    [
      '{"id":1,"method":"account/read","params":5}',
      "Invalid request: invalid type: integer `5`, expected struct GetAccountParams",
    ],
    [
      '{"id":1,"method":"account/logout","params":5}',
      "Invalid request: invalid type: integer `5`, expected unit",
    ],
    [
      '{"id":1,"method":"account/login/start","params":{}}',
      "Invalid request: missing field `type`",
    ],
    [
      '{"id":1,"method":"account/login/start","params":{"type":"apiKey","apiKey":null}}',
      "Invalid request: invalid type: null, expected a string",
    ],
    [
      '{"id":1,"method":"initialize","params":5}',
      "Invalid request: invalid type: integer `5`, expected struct InitializeParams",
    ],
    [
      '{"id":1,"method":"getAuthStatus","params":{"includeToken":"x"}}',
      'Invalid request: invalid type: string "x", expected a boolean',
    ],
  ];
  it.each(texts)("%s", (line, message) => {
    const msg = server.decode(line);
    expect(msg).toMatchObject({ kind: "rejected", reply: { error: { code: -32600, message } } });
  });

  it("an unknown method lists upstream's methods, getAuthStatus among them", () => {
    const msg = server.decode('{"id":1,"method":"no/such/method","params":{}}');
    if (msg.kind !== "rejected") throw new Error("expected a rejection");
    expect(msg.reply.error.message).toMatch(
      /^Invalid request: unknown variant `no\/such\/method`, expected one of `initialize`, `server\/diagnostics`, /,
    );
    expect(msg.reply.error.message).toContain("`getAuthStatus`");
  });

  it("capabilities and optOutNotificationMethods may be null", () => {
    for (const line of [
      '{"id":1,"method":"initialize","params":{"clientInfo":{"name":"a","version":"1"},"capabilities":null}}',
      '{"id":1,"method":"initialize","params":{"clientInfo":{"name":"a","version":"1"},"capabilities":{"optOutNotificationMethods":null}}}',
    ]) {
      expect(server.decode(line).kind).toBe("request");
    }
  });
});

describe("createCodec() encoders", () => {
  it("never write a jsonrpc member and omit absent params", () => {
    expect(client.encodeRequest(0, "account/logout", undefined)).toBe(
      '{"id":0,"method":"account/logout"}',
    );
    expect(client.encodeNotification("initialized", undefined)).toBe('{"method":"initialized"}');
    expect(
      server.encodeNotification("account/updated", { authMode: "apikey", planType: null }),
    ).toMatch(
      /^\{"method":"account\/updated","params":\{"authMode":"apikey","planType":null\},"emittedAtMs":\d+\}$/,
    );
    expect(
      createCodec("server", { now: () => 1234 }).encodeNotification("account/updated", {}),
    ).toBe('{"method":"account/updated","params":{},"emittedAtMs":1234}');
    expect(
      server.encodeResult("a", "account/read", { account: null, requiresOpenaiAuth: true }),
    ).toBe('{"id":"a","result":{"account":null,"requiresOpenaiAuth":true}}');
    expect(server.encodeError(1, { code: -32600, message: "Not initialized" })).toBe(
      '{"error":{"code":-32600,"message":"Not initialized"},"id":1}',
    );
    for (const line of [
      client.encodeRequest(1, "account/read", {}),
      server.encodeRequest(2, "attestation/generate", {}),
    ]) {
      expect(line).not.toContain("jsonrpc");
    }
  });

  it("refuse invalid params or results with a typed error", () => {
    const wrong = { refreshToken: "yes" } as unknown as { refreshToken: boolean };
    expect(() => client.encodeRequest(1, "account/read", wrong)).toThrowError(
      expect.objectContaining({ code: "invalid_params" }),
    );
    const badResult = { account: null } as unknown as { requiresOpenaiAuth: boolean };
    expect(() => server.encodeResult(1, "account/read", badResult)).toThrowError(
      expect.objectContaining({ code: "invalid_result" }),
    );
    expect(() => client.parseResult("account/read", { nope: 1 })).toThrowError(
      AppServerProtocolError,
    );
    expect(() => server.encodeError(1, { code: 1.5, message: "x" })).toThrowError(
      expect.objectContaining({ code: "invalid_result" }),
    );
  });

  it("refuse methods of the other side", () => {
    const c = client as unknown as { encodeRequest(id: number, m: string, p: unknown): string };
    expect(() => c.encodeRequest(1, "attestation/generate", {})).toThrowError(
      expect.objectContaining({ code: "unknown_method" }),
    );
  });

  it("refuse values JSON cannot carry", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => client.encodeRequest(1, "thread/start", { config: cyclic })).toThrowError(
      expect.objectContaining({ code: "invalid_params" }),
    );
  });

  it("parse results into their output types", () => {
    const parsed = client.parseResult("account/read", {
      account: { type: "chatgpt", email: "a@b.c", planType: "brand-new-plan" },
      requiresOpenaiAuth: true,
    });
    expect(parsed.account).toEqual({ type: "chatgpt", email: "a@b.c", planType: "unknown" });
  });

  it("refuse an unusable size limit", () => {
    expect(() => createCodec("server", { maxMessageBytes: 0 })).toThrowError(
      expect.objectContaining({ code: "invalid_options" }),
    );
  });
});
