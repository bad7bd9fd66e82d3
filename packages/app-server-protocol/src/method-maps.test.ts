import { PassThrough } from "node:stream";
import { describe, expect, expectTypeOf, it } from "vitest";
import { createCodec } from "./message-codec.js";
import {
  type ClientRequest,
  type ClientRequestMap,
  clientNotificationSchemas,
  clientRequestSchemas,
  isClientNotificationMethod,
  isClientRequestMethod,
  isServerNotificationMethod,
  isServerRequestMethod,
  type ServerNotification,
  type ServerNotificationMap,
  type ServerRequestMap,
  serverNotificationSchemas,
  serverRequestSchemas,
} from "./method-maps.js";
import { ProtocolPeer, type RequestHandlers } from "./peer.js";

describe("method tables", () => {
  it("cover every method of the issue", () => {
    expect(Object.keys(clientRequestSchemas).sort()).toEqual(
      [
        "initialize",
        "account/read",
        "account/login/start",
        "account/login/cancel",
        "account/logout",
        "account/rateLimits/read",
        "thread/start",
        "turn/start",
        "turn/interrupt",
        "getAuthStatus",
      ].sort(),
    );
    expect(Object.keys(clientNotificationSchemas)).toEqual(["initialized"]);
    expect(Object.keys(serverRequestSchemas).sort()).toEqual([
      "account/chatgptAuthTokens/refresh",
      "attestation/generate",
    ]);
    expect(Object.keys(serverNotificationSchemas).sort()).toEqual(
      [
        "account/login/completed",
        "account/updated",
        "account/rateLimits/updated",
        "thread/started",
        "thread/tokenUsage/updated",
        "turn/started",
        "item/started",
        "item/agentMessage/delta",
        "item/completed",
        "turn/completed",
        "error",
      ].sort(),
    );
  });

  it("guards recognise only own methods (never inherited object keys)", () => {
    expect(isClientRequestMethod("account/read")).toBe(true);
    expect(isClientRequestMethod("toString")).toBe(false);
    expect(isClientRequestMethod("__proto__")).toBe(false);
    expect(isServerRequestMethod("attestation/generate")).toBe(true);
    expect(isServerRequestMethod("account/read")).toBe(false);
    expect(isServerNotificationMethod("error")).toBe(true);
    expect(isClientNotificationMethod("initialized")).toBe(true);
    expect(isClientNotificationMethod("constructor")).toBe(false);
  });
});

describe("the compiler checks handler tables and clients (this file is typechecked)", () => {
  it("types params and results per method", () => {
    expectTypeOf<ClientRequestMap["account/read"]["params"]>().toEqualTypeOf<{
      refreshToken?: boolean | undefined;
    }>();
    expectTypeOf<
      ClientRequestMap["account/read"]["result"]["requiresOpenaiAuth"]
    >().toEqualTypeOf<boolean>();
    expectTypeOf<ServerRequestMap["attestation/generate"]["result"]>().toEqualTypeOf<
      { token: string } | { headerValue: string }
    >();
    expectTypeOf<
      ServerNotificationMap["item/agentMessage/delta"]["delta"]
    >().toEqualTypeOf<string>();
  });

  it("rejects wrong params, wrong results and unknown methods at compile time", () => {
    const codec = createCodec("client");
    const server = createCodec("server");
    const fine = codec.encodeRequest(1, "account/read", { refreshToken: true });
    expect(fine).toContain("account/read");
    const ok: Array<() => unknown> = [
      // @ts-expect-error refreshToken must be a boolean
      () => codec.encodeRequest(1, "account/read", { refreshToken: "yes" }),
      // @ts-expect-error apiKey login needs apiKey
      () => codec.encodeRequest(1, "account/login/start", { type: "apiKey" }),
      // @ts-expect-error unknown login type
      () => codec.encodeRequest(1, "account/login/start", { type: "password", password: "x" }),
      // @ts-expect-error turn/start needs input
      () => codec.encodeRequest(1, "turn/start", { threadId: "t" }),
      // @ts-expect-error a client does not send server requests
      () => codec.encodeRequest(1, "attestation/generate", {}),
      // @ts-expect-error unknown method
      () => codec.encodeRequest(1, "thread/fork", {}),
      // @ts-expect-error attestation result is {token} or {headerValue}
      () => codec.encodeResult(1, "attestation/generate", { value: "v1" }),
      // @ts-expect-error account/updated authMode is an AuthMode
      () => server.encodeNotification("account/updated", { authMode: "password" }),
    ];
    expect(ok).toHaveLength(8);
  });

  it("checks a peer's handler table and request calls", () => {
    const handlers: RequestHandlers<"server"> = {
      "account/read": (params) => {
        expectTypeOf(params.refreshToken).toEqualTypeOf<boolean | undefined>();
        return { account: null, requiresOpenaiAuth: true };
      },
      // @ts-expect-error the result of account/read needs requiresOpenaiAuth
      "account/logout": () => ({ requiresOpenaiAuth: 1 }),
    };
    const badHandlers: RequestHandlers<"server"> = {
      // @ts-expect-error wrong result type for account/read
      "account/read": () => ({ account: "none", requiresOpenaiAuth: true }),
    };
    const peer = new ProtocolPeer({
      role: "client",
      input: new PassThrough(),
      output: new PassThrough(),
    });
    const calls: Array<() => unknown> = [
      () => peer.request("account/logout"),
      () => peer.request("account/read", {}),
      // @ts-expect-error account/read params are required (send {})
      () => peer.request("account/read"),
      // @ts-expect-error wrong params type for turn/interrupt
      () => peer.request("turn/interrupt", { threadId: "t", turnId: 5 }),
      // @ts-expect-error initialized takes no params
      () => peer.notify("initialized", { ready: true }),
    ];
    expect(Object.keys(handlers)).toHaveLength(2);
    expect(Object.keys(badHandlers)).toHaveLength(1);
    expect(calls).toHaveLength(5);
    peer.close();
  });

  it("narrows parsed messages by method", () => {
    const describeRequest = (request: ClientRequest): string => {
      switch (request.method) {
        case "account/login/start":
          return request.params.type;
        case "turn/start":
          return request.params.threadId;
        default:
          return request.method;
      }
    };
    expect(
      describeRequest({
        id: 1,
        method: "account/login/start",
        params: { type: "chatgptDeviceCode" },
      }),
    ).toBe("chatgptDeviceCode");
    const text = (n: ServerNotification): string =>
      n.method === "item/agentMessage/delta" ? n.params.delta : "";
    expect(
      text({
        method: "item/agentMessage/delta",
        params: { threadId: "t", turnId: "u", itemId: "i", delta: "Hel" },
      }),
    ).toBe("Hel");
  });
});
