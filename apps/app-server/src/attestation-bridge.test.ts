import { PassThrough } from "node:stream";
import {
  AppServerProtocolError,
  createClientPeer,
  createServerPeer,
  type RequestHandlers,
} from "@codex/app-server-protocol";
import { describe, expect, it } from "vitest";
import { attestationBridge } from "./attestation-bridge.js";

function provider(handlers: RequestHandlers<"client">) {
  const up = new PassThrough();
  const down = new PassThrough();
  const server = createServerPeer({ input: up, output: down });
  createClientPeer({ input: down, output: up, handlers });
  return attestationBridge(server);
}

const call = (signal = new AbortController().signal) => ({ threadId: "thread-1", signal });

// model-client turns these outcomes into the envelope: a token → s:0, a rejection → s:2, an empty
// token → s:4 (malformed), its own budget running out → s:1 (tested end to end in test/turns).
describe("attestationBridge", () => {
  it("resolves the token of a {token} answer, sent as attestation/generate {}", async () => {
    let asked: unknown;
    const bridge = provider({
      "attestation/generate": (params) => {
        asked = params;
        return { token: "v1.abc" };
      },
    });
    expect(await bridge.tokenForRequest(call())).toBe("v1.abc");
    expect(asked).toEqual({});
  });

  it("reads a legacy {headerValue} answer as malformed (empty token)", async () => {
    expect(
      await provider({ "attestation/generate": () => ({ headerValue: "x" }) }).tokenForRequest(
        call(),
      ),
    ).toBe("");
  });

  it("rejects on an error answer and when the caller gives up", async () => {
    const failing = provider({
      "attestation/generate": () => {
        throw AppServerProtocolError.rpc(-32000, "no");
      },
    });
    await expect(failing.tokenForRequest(call())).rejects.toMatchObject({ code: "rpc_error" });
    const silent = provider({ "attestation/generate": () => new Promise<never>(() => {}) });
    const controller = new AbortController();
    const pending = silent.tokenForRequest(call(controller.signal));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "request_aborted" });
  });
});
