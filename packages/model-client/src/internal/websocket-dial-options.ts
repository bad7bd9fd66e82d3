import type { Agent } from "node:http";
import { rootCertificates } from "node:tls";
import { HttpError, loadCustomCa, websocketProxyAgent } from "@codex/http";
import { ModelClientError } from "../model-client-error.js";
import type { WsConnectOptions } from "./websocket-connection.js";

/**
 * Options of WebSocket handshakes: the custom CA, and a CONNECT tunnel through the proxy that
 * `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` name (the rules @codex/http applies to HTTP, through
 * `websocketProxyAgent` of @codex/http), one agent (or none) per origin.
 */
export class WebsocketDialOptions {
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #proxyAgents = new Map<string, Agent | undefined>();
  #tls: { ca?: string[] } | undefined;

  constructor(env: Readonly<Record<string, string | undefined>>) {
    this.#env = env;
  }

  /** The options of a handshake to `url`. */
  forUrl(url: string): WsConnectOptions {
    const tls = this.#websocketTls();
    // The proxy choice depends on the scheme and host only: one agent (or none) for each.
    const key = URL.canParse(url) ? new URL(url).origin : url;
    let agent = this.#proxyAgents.get(key);
    if (!this.#proxyAgents.has(key)) {
      try {
        agent = websocketProxyAgent(url, { env: this.#env });
      } catch (cause) {
        throw new ModelClientError(
          "invalid_argument",
          HttpError.is(cause) ? cause.message : "the WebSocket proxy could not be set up",
          { cause },
        );
      }
      this.#proxyAgents.set(key, agent);
    }
    return agent === undefined ? tls : { ...tls, agent };
  }

  /** Destroys the proxy agents made so far. */
  close(): void {
    for (const agent of this.#proxyAgents.values()) agent?.destroy();
    this.#proxyAgents.clear();
  }

  /** TLS options of WebSocket handshakes: the custom CA bundle added to Node's roots. */
  #websocketTls(): { ca?: string[] } {
    if (this.#tls !== undefined) return this.#tls;
    let ca: string | undefined;
    try {
      ca = loadCustomCa({ env: this.#env });
    } catch (cause) {
      throw new ModelClientError(
        "invalid_argument",
        HttpError.is(cause) ? cause.message : "the custom CA bundle could not be read",
        { cause },
      );
    }
    this.#tls = ca === undefined ? {} : { ca: [...rootCertificates, ca] };
    return this.#tls;
  }
}
