import type { Logger } from "@codex/wire";
import type { WsConnection } from "./websocket-connection.js";

/**
 * The client's WebSocket bookkeeping between turns: the socket a closed turn handed back (the
 * next turn takes it over) and the one-way switch to HTTP after a fallback.
 */
export class WebsocketCache {
  readonly #logger: Logger;
  #cached: WsConnection | undefined;
  #disabled = false;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** True once the session fell back to HTTP. */
  get disabled(): boolean {
    return this.#disabled;
  }

  /** Switches to HTTP for good (logged once) and closes the cached socket. */
  forceHttpFallback(): void {
    if (this.#disabled) return;
    this.#disabled = true;
    this.#logger.warn("falling back to HTTP", { from_wire_api: "responses_websocket" });
    this.reset();
  }

  /** The cached socket while still open; the cache is empty afterwards. */
  take(): WsConnection | undefined {
    const connection = this.#cached;
    this.#cached = undefined;
    return connection?.isOpen ? connection : undefined;
  }

  /** Keeps `connection` for the next turn (closed instead when closed or after a fallback). */
  give(connection: WsConnection): void {
    if (!connection.isOpen || this.#disabled) {
      connection.close();
      return;
    }
    if (this.#cached !== undefined && this.#cached !== connection) {
      this.#cached.close();
    }
    this.#cached = connection;
  }

  /** Closes and forgets the cached socket. */
  reset(): void {
    this.#cached?.close();
    this.#cached = undefined;
  }
}
