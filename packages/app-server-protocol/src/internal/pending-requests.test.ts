import { describe, expect, it } from "vitest";
import { AppServerProtocolError } from "../protocol-error.js";
import type { PeerTimers } from "./peer-options.js";
import { PendingRequests } from "./pending-requests.js";

function manualTimers() {
  const tasks = new Map<number, () => void>();
  let next = 1;
  const timers: PeerTimers = {
    setTimeout(fn) {
      const handle = next++;
      tasks.set(handle, fn);
      return handle;
    },
    clearTimeout(handle) {
      tasks.delete(handle as number);
    },
  };
  return {
    timers,
    scheduled: () => tasks.size,
    fireAll() {
      for (const [handle, fn] of [...tasks]) {
        tasks.delete(handle);
        fn();
      }
    },
  };
}

function table() {
  const clock = manualTimers();
  const warnings: Array<{ message: string; fields: Record<string, unknown> | undefined }> = [];
  const pending = new PendingRequests(clock.timers, (message, fields) =>
    warnings.push({ message, fields }),
  );
  return { clock, warnings, pending };
}

const sendOk = { send: () => {} };

describe("PendingRequests", () => {
  it("resolves with the parsed result and forgets the request", async () => {
    const { pending, clock } = table();
    const reply = pending.start(1, "account/read", {
      timeoutMs: 1000,
      signal: undefined,
      ...sendOk,
    });
    expect(pending.has(1)).toBe(true);
    expect(clock.scheduled()).toBe(1);
    pending.settleResult(1, { raw: true }, (method, result) => ({ method, result }));
    await expect(reply).resolves.toEqual({ method: "account/read", result: { raw: true } });
    expect(pending.size).toBe(0);
    expect(clock.scheduled()).toBe(0);
  });

  it("rejects with invalid_result when the parser throws", async () => {
    const { pending } = table();
    const reply = pending.start(1, "account/read", { timeoutMs: 0, signal: undefined, ...sendOk });
    pending.settleResult(1, {}, () => {
      throw new AppServerProtocolError("invalid_result", "bad");
    });
    await expect(reply).rejects.toMatchObject({ code: "invalid_result" });
  });

  it("rejects an error reply with rpc_error carrying the error object", async () => {
    const { pending } = table();
    const reply = pending.start("a", "account/read", {
      timeoutMs: 0,
      signal: undefined,
      ...sendOk,
    });
    pending.settleError("a", { code: -32600, message: "nope" });
    await expect(reply).rejects.toMatchObject({
      code: "rpc_error",
      rpcError: { code: -32600, message: "nope" },
    });
  });

  it("warns about a reply for an unknown request", () => {
    const { pending, warnings } = table();
    pending.settleError(7, { code: -32600, message: "nope" });
    expect(warnings).toEqual([
      { message: "ignored reply for an unknown or finished request", fields: { id: 7 } },
    ]);
  });

  it("times out, aborts and fails writes with typed errors", async () => {
    const { pending, clock } = table();
    const timedOut = pending.start(1, "m", { timeoutMs: 5, signal: undefined, ...sendOk });
    clock.fireAll();
    await expect(timedOut).rejects.toMatchObject({ code: "request_timeout" });

    const controller = new AbortController();
    const aborted = pending.start(2, "m", { timeoutMs: 0, signal: controller.signal, ...sendOk });
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: "request_aborted" });

    const failed = pending.start(3, "m", {
      timeoutMs: 0,
      signal: undefined,
      send: (onError) => onError(new Error("broken pipe")),
    });
    await expect(failed).rejects.toMatchObject({ code: "write_failed" });
    expect(pending.size).toBe(0);
  });

  it("rejectAll rejects every request with the given error and empties the table", async () => {
    const { pending, clock } = table();
    const first = pending.start(1, "one", { timeoutMs: 5, signal: undefined, ...sendOk });
    const second = pending.start(2, "two", { timeoutMs: 0, signal: undefined, ...sendOk });
    pending.rejectAll((method) => new AppServerProtocolError("disconnected", `gone: ${method}`));
    await expect(first).rejects.toThrow("gone: one");
    await expect(second).rejects.toThrow("gone: two");
    expect(pending.size).toBe(0);
    expect(clock.scheduled()).toBe(0);
  });
});
