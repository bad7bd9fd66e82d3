import type { JSONRPCErrorError, RequestId } from "../envelope.js";
import { AppServerProtocolError } from "../protocol-error.js";
import type { PeerTimers } from "./peer-options.js";
import type { PeerWarn } from "./peer-warnings.js";

interface Pending {
  method: string;
  resolve(value: unknown): void;
  reject(error: AppServerProtocolError): void;
  cleanup(): void;
}

/** What a new pending request needs besides its id and method. */
export interface PendingStart {
  /** Gives up after this many ms (`0` = never). */
  timeoutMs: number;
  /** Gives up when aborted. */
  signal: AbortSignal | undefined;
  /** Writes the request; calls `onError` if the write fails. */
  send(onError: (error: unknown) => void): void;
}

/**
 * The table of outgoing requests awaiting a reply: each entry settles exactly once, by its
 * reply, its timeout, its AbortSignal, a failed write or the connection closing.
 */
export class PendingRequests {
  readonly #pending = new Map<RequestId, Pending>();
  readonly #timers: PeerTimers;
  readonly #warn: PeerWarn;

  constructor(timers: PeerTimers, warn: PeerWarn) {
    this.#timers = timers;
    this.#warn = warn;
  }

  /** Number of requests awaiting a reply. */
  get size(): number {
    return this.#pending.size;
  }

  /** Whether a request with this id is awaiting a reply. */
  has(id: RequestId): boolean {
    return this.#pending.has(id);
  }

  /** Registers the request `id` and sends it; resolves with the raw reply value. */
  start(id: RequestId, method: string, options: PendingStart): Promise<unknown> {
    const { timeoutMs, signal } = options;
    return new Promise((resolve, reject) => {
      let timer: unknown;
      const onAbort = () => {
        this.#pending.delete(id);
        pending.cleanup();
        reject(
          new AppServerProtocolError("request_aborted", `request ${method} was aborted`, {
            cause: signal?.reason,
          }),
        );
      };
      const pending: Pending = {
        method,
        resolve,
        reject,
        cleanup: () => {
          if (timer !== undefined) this.#timers.clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
        },
      };
      if (timeoutMs > 0) {
        timer = this.#timers.setTimeout(() => {
          this.#pending.delete(id);
          pending.cleanup();
          reject(
            new AppServerProtocolError(
              "request_timeout",
              `request ${method} timed out after ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
      }
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#pending.set(id, pending);
      options.send((error) => {
        if (this.#pending.get(id) !== pending) return;
        this.#pending.delete(id);
        pending.cleanup();
        reject(
          new AppServerProtocolError("write_failed", `could not send request ${method}`, {
            cause: error,
          }),
        );
      });
    });
  }

  /** Settles request `id` with a result reply, parsed by `parse(method, result)`. */
  settleResult(
    id: RequestId,
    result: unknown,
    parse: (method: string, result: unknown) => unknown,
  ): void {
    this.#settle(id, (pending) => {
      let parsed: unknown;
      try {
        parsed = parse(pending.method, result);
      } catch (error) {
        pending.reject(error as AppServerProtocolError);
        return;
      }
      pending.resolve(parsed);
    });
  }

  /** Settles request `id` with an error reply (`rpc_error`). */
  settleError(id: RequestId, error: JSONRPCErrorError): void {
    this.#settle(id, (pending) => {
      pending.reject(
        new AppServerProtocolError(
          "rpc_error",
          `request ${pending.method} failed with JSON-RPC error ${error.code}`,
          { rpcError: error },
        ),
      );
    });
  }

  /** Rejects every pending request with the error `errorFor(method)` and empties the table. */
  rejectAll(errorFor: (method: string) => AppServerProtocolError): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const entry of pending) {
      entry.cleanup();
      entry.reject(errorFor(entry.method));
    }
  }

  #settle(id: RequestId, action: (pending: Pending) => void): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) {
      this.#warn("ignored reply for an unknown or finished request", { id });
      return;
    }
    this.#pending.delete(id);
    pending.cleanup();
    action(pending);
  }
}
