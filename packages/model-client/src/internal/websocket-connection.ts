import type { Agent, IncomingHttpHeaders } from "node:http";
import type { JsonObject } from "@codex/wire";
import WebSocket from "ws";

/** What `next()` hands back. */
export type WsReceive =
  | { readonly kind: "message"; readonly data: string }
  | { readonly kind: "binary" }
  | { readonly kind: "closed" }
  | { readonly kind: "idle" }
  | { readonly kind: "aborted" };

/** A refused handshake. */
export interface WsRefusal {
  readonly kind: "refused";
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/** A handshake that failed below HTTP (connect, TLS, timeout). */
export interface WsConnectFailure {
  readonly kind: "failed";
  readonly timedOut: boolean;
  readonly cause: unknown;
}

/** The previous completed `response.create` on a socket, for incremental requests. */
export interface WsLastExchange {
  readonly request: JsonObject;
  readonly responseId: string;
  readonly outputItems: readonly JsonObject[];
}

const MAX_REFUSAL_BODY = 64 * 1024;

/** Connection options of a handshake: extra CA roots, and an agent (a proxy tunnel). */
export interface WsConnectOptions {
  readonly ca?: string[];
  readonly agent?: Agent;
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

/**
 * One Responses WebSocket: frames queue up until read, one reader at a time. Owned by one turn
 * session at a time; `lastExchange` enables `previous_response_id` on the next request.
 */
export class WsConnection {
  readonly handshakeHeaders: Headers;
  lastExchange: WsLastExchange | undefined;
  readonly #ws: WebSocket;
  readonly #queue: WsReceive[] = [];
  #wake: (() => void) | undefined;
  #closed = false;

  private constructor(ws: WebSocket, handshakeHeaders: Headers) {
    this.#ws = ws;
    this.handshakeHeaders = handshakeHeaders;
    ws.on("message", (data: WebSocket.RawData, isBinary: boolean) => {
      if (isBinary) this.#push({ kind: "binary" });
      else {
        const text = Array.isArray(data)
          ? Buffer.concat(data).toString("utf8")
          : Buffer.from(data as ArrayBuffer).toString("utf8");
        this.#push({ kind: "message", data: text });
      }
    });
    ws.on("close", () => {
      this.#closed = true;
      this.#push({ kind: "closed" });
    });
    ws.on("error", () => {
      // A socket error is followed by `close`, which ends any reader.
    });
  }

  /** Opens a socket; resolves a refusal (non-101 answer) or a failure instead of throwing. */
  static connect(
    url: string,
    headers: Record<string, string>,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    tls: WsConnectOptions = {},
  ): Promise<WsConnection | WsRefusal | WsConnectFailure> {
    return new Promise((resolve) => {
      let settled = false;
      let upgradeHeaders: Headers | undefined;
      const ws = new WebSocket(url, {
        headers,
        perMessageDeflate: true,
        handshakeTimeout: timeoutMs,
        ...tls,
      });
      const settle = (value: WsConnection | WsRefusal | WsConnectFailure) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        resolve(value);
      };
      const onAbort = () => {
        ws.terminate();
        settle({ kind: "failed", timedOut: false, cause: signal?.reason });
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      ws.once("upgrade", (res) => {
        upgradeHeaders = toHeaders(res.headers);
      });
      ws.once("open", () => settle(new WsConnection(ws, upgradeHeaders ?? new Headers())));
      ws.once("unexpected-response", (_req, res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          if (size < MAX_REFUSAL_BODY) chunks.push(chunk);
          size += chunk.length;
        });
        const finish = () => {
          settle({
            kind: "refused",
            status: res.statusCode ?? 0,
            headers: toHeaders(res.headers),
            body: Buffer.concat(chunks).toString("utf8").slice(0, MAX_REFUSAL_BODY),
          });
          ws.terminate();
        };
        res.on("end", finish);
        res.on("error", finish);
      });
      ws.once("error", (cause) => {
        settle({
          kind: "failed",
          timedOut: cause instanceof Error && /handshake has timed out/i.test(cause.message),
          cause,
        });
      });
    });
  }

  get isOpen(): boolean {
    return !this.#closed && this.#ws.readyState === WebSocket.OPEN;
  }

  #push(item: WsReceive): void {
    this.#queue.push(item);
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Sends one text frame; rejects when the socket is gone. */
  send(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#ws.send(text, (error) => (error ? reject(error) : resolve()));
    });
  }

  /** The next frame, or `idle` after `timeoutMs` without one, or `aborted`. */
  async next(timeoutMs: number, signal: AbortSignal | undefined): Promise<WsReceive> {
    const queued = this.#queue.shift();
    if (queued !== undefined) {
      if (queued.kind === "closed") this.#queue.unshift(queued);
      return queued;
    }
    if (signal?.aborted) return { kind: "aborted" };
    return new Promise<WsReceive>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = (value: WsReceive | undefined) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.#wake = undefined;
        if (value !== undefined) return resolve(value);
        const item = this.#queue.shift() as WsReceive;
        if (item.kind === "closed") this.#queue.unshift(item);
        resolve(item);
      };
      const onAbort = () => done({ kind: "aborted" });
      signal?.addEventListener("abort", onAbort, { once: true });
      timer = setTimeout(() => done({ kind: "idle" }), timeoutMs);
      this.#wake = () => done(undefined);
    });
  }

  /** Closes the socket at once. */
  close(): void {
    this.#closed = true;
    this.#ws.terminate();
  }
}
