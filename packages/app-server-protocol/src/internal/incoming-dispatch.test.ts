import { describe, expect, it } from "vitest";
import { notInitializedError } from "../error-codes.js";
import { createCodec } from "../message-codec.js";
import { AppServerProtocolError } from "../protocol-error.js";
import { type DispatchHost, IncomingDispatch } from "./incoming-dispatch.js";

function dispatcher(overrides: Partial<DispatchHost<"server">> = {}) {
  const replies: unknown[] = [];
  const warnings: string[] = [];
  let settledCalls = 0;
  const codec = createCodec("server");
  const dispatch = new IncomingDispatch<"server">({
    codec,
    warn: (message) => warnings.push(message),
    reply: (line) => replies.push(JSON.parse(line)),
    settled: () => {
      settledCalls++;
    },
    handlers: undefined,
    requestGate: undefined,
    onNotification: undefined,
    ...overrides,
  });
  return { dispatch, replies, warnings, codec, settledCalls: () => settledCalls };
}

/** Waits until every handler started so far has settled. */
async function drain(dispatch: IncomingDispatch<"server">): Promise<void> {
  while (dispatch.inFlight > 0) await new Promise((resolve) => setImmediate(resolve));
}

describe("IncomingDispatch", () => {
  it("replies with the handler's result and reports each settled handler", async () => {
    const { dispatch, replies, settledCalls } = dispatcher({
      handlers: { "account/read": () => ({ account: null, requiresOpenaiAuth: true }) },
    });
    dispatch.request(1, "account/read", {});
    expect(dispatch.inFlight).toBe(1);
    await drain(dispatch);
    expect(replies).toEqual([{ id: 1, result: { account: null, requiresOpenaiAuth: true } }]);
    expect(settledCalls()).toBe(1);
  });

  it("answers -32601 for a method without handler", () => {
    const { dispatch, replies } = dispatcher();
    dispatch.request(2, "account/read", {});
    expect(replies).toEqual([
      { id: 2, error: { code: -32601, message: "Method not handled: account/read" } },
    ]);
  });

  it("replies with the gate's refusal instead of calling the handler", () => {
    let called = false;
    const { dispatch, replies } = dispatcher({
      requestGate: () => notInitializedError(),
      handlers: {
        "account/read": () => {
          called = true;
          return { account: null, requiresOpenaiAuth: true };
        },
      },
    });
    dispatch.request(3, "account/read", {});
    expect(called).toBe(false);
    expect(replies).toEqual([{ id: 3, error: notInitializedError() }]);
  });

  it("maps a thrown rpc error to its reply and any other throw to -32603", async () => {
    const { dispatch, replies, warnings } = dispatcher({
      handlers: {
        "account/read": (params) => {
          if (params.refreshToken === true) throw AppServerProtocolError.rpc(-32600, "refused");
          throw new Error("boom");
        },
      },
    });
    dispatch.request(4, "account/read", { refreshToken: true });
    dispatch.request(5, "account/read", {});
    await drain(dispatch);
    expect(replies).toEqual([
      { id: 4, error: { code: -32600, message: "refused" } },
      { id: 5, error: { code: -32603, message: "Internal error" } },
    ]);
    expect(warnings).toEqual(["request handler threw"]);
  });

  it("gives handlers the signal that abort() aborts", async () => {
    let seen: AbortSignal | undefined;
    const { dispatch } = dispatcher({
      handlers: {
        "account/read": (_params, context) => {
          seen = context.signal;
          return { account: null, requiresOpenaiAuth: true };
        },
      },
    });
    dispatch.request(6, "account/read", {});
    await drain(dispatch);
    expect(seen?.aborted).toBe(false);
    dispatch.abort(new Error("closed"));
    expect(seen?.aborted).toBe(true);
  });

  it("logs a notification listener that throws", () => {
    const { dispatch, warnings } = dispatcher({
      onNotification: () => {
        throw new Error("listener bug");
      },
    });
    dispatch.notification({ method: "initialized", params: undefined });
    expect(warnings).toEqual(["notification listener threw"]);
  });
});
