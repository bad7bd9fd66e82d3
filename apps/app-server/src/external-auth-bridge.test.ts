import { PassThrough } from "node:stream";
import {
  AppServerProtocolError,
  createClientPeer,
  createServerPeer,
  type RequestHandlers,
} from "@codex/app-server-protocol";
import { describe, expect, it } from "vitest";
import { externalAuthBridge } from "./external-auth-bridge.js";

function pair(handlers: RequestHandlers<"client">) {
  const up = new PassThrough();
  const down = new PassThrough();
  const server = createServerPeer({ input: up, output: down });
  createClientPeer({ input: down, output: up, handlers });
  return server;
}

const context = () => ({
  reason: "unauthorized" as const,
  previousAccountId: "acct-1",
  signal: new AbortController().signal,
});

describe("externalAuthBridge", () => {
  it("asks account/chatgptAuthTokens/refresh and hands the answer to login", async () => {
    let asked: unknown;
    const server = pair({
      "account/chatgptAuthTokens/refresh": (params) => {
        asked = params;
        return { accessToken: "new", chatgptAccountId: "acct-1", chatgptPlanType: "pro" };
      },
    });
    const tokens = await externalAuthBridge(server).refresh(context());
    expect(asked).toEqual({ reason: "unauthorized", previousAccountId: "acct-1" });
    expect(tokens).toEqual({
      accessToken: "new",
      chatgptMetadata: { accountId: "acct-1", planType: "pro" },
    });
  });

  it("sends previousAccountId null when unknown; a legacy answer carries no workspace", async () => {
    let asked: unknown;
    const server = pair({
      "account/chatgptAuthTokens/refresh": (params) => {
        asked = params;
        return { idToken: "i", accessToken: "a" };
      },
    });
    const tokens = await externalAuthBridge(server).refresh({
      ...context(),
      previousAccountId: undefined,
    });
    expect(asked).toEqual({ reason: "unauthorized", previousAccountId: null });
    expect(tokens).toEqual({ accessToken: "a" });
  });

  it("an error answer fails with auth refresh request failed: code=<code> (not the client's message)", async () => {
    const server = pair({
      "account/chatgptAuthTokens/refresh": () => {
        throw AppServerProtocolError.rpc(-32000, "secret host detail");
      },
    });
    const failure = await externalAuthBridge(server)
      .refresh(context())
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({
      code: "auth_refresh_failed",
      message: "auth refresh request failed: code=-32000",
    });
    expect(String((failure as Error).message)).not.toContain("secret");
  });

  it("a closed connection fails the refresh with a typed error", async () => {
    const server = pair({});
    server.close();
    await expect(externalAuthBridge(server).refresh(context())).rejects.toMatchObject({
      code: "auth_refresh_failed",
    });
  });
});
