import { Agent, type ClientRequestArgs, request } from "node:http";
import { isIP } from "node:net";
import type { Duplex } from "node:stream";
import { rootCertificates, connect as tlsConnect } from "node:tls";
import { type DispatcherEnvOptions, loadCustomCa } from "./dispatcher.js";
import { HttpError } from "./errors.js";
import { proxyFor, readProxyEnv } from "./internal/proxy-env.js";

/**
 * The `http.Agent` to hand to a WebSocket client (the `ws` package's `agent` option) for `url`,
 * so WebSockets take the proxy that {@link createDispatcher} takes for HTTP: `wss:` uses
 * `HTTPS_PROXY`, else `HTTP_PROXY`; `ws:` uses `HTTP_PROXY`; either case; none when `NO_PROXY`
 * matches the host (undici's rule, which the dispatcher applies to HTTP). Returns `undefined` when
 * no proxy applies: connect directly.
 *
 * The agent opens each connection as an HTTP `CONNECT` tunnel through the proxy (credentials in
 * the proxy URL become `Proxy-Authorization: Basic`, never logged) and, for `wss:`, runs TLS to
 * the target inside it, trusting Node's roots plus the custom CA of {@link loadCustomCa} (a `ca`
 * given to the WebSocket client takes precedence). One tunnel per socket, no keep-alive; an agent
 * can be kept and reused for every socket to the same scheme and host. A refused tunnel fails the
 * handshake with an {@link HttpError} `network` naming the proxy's status.
 *
 * @param url - The `ws:` or `wss:` URL to open (`http:` / `https:` are read as `ws:` / `wss:`).
 * @param options - The environment to read (default `process.env`) and a file reader for the CA.
 * @throws {HttpError} `invalid_proxy` when the chosen proxy variable is not an `http://` URL
 *   (a bare `host:port` is read as one); `invalid_ca` as {@link loadCustomCa};
 *   `invalid_request` when `url` is not a URL of those schemes.
 * @example
 * ```ts
 * import { websocketProxyAgent } from "@codex/http";
 * import WebSocket from "ws";
 *
 * const url = "wss://api.openai.com/v1/responses";
 * const agent = websocketProxyAgent(url); // undefined without HTTPS_PROXY / HTTP_PROXY
 * const socket = new WebSocket(url, { ...(agent === undefined ? {} : { agent }) });
 * // ...
 * agent?.destroy();
 * ```
 */
export function websocketProxyAgent(
  url: string | URL,
  options: DispatcherEnvOptions = {},
): Agent | undefined {
  let target: URL;
  try {
    target = new URL(url);
  } catch (cause) {
    throw new HttpError("invalid_request", "the WebSocket URL does not parse", { cause });
  }
  const secure = target.protocol === "wss:" || target.protocol === "https:";
  if (!secure && target.protocol !== "ws:" && target.protocol !== "http:") {
    throw new HttpError("invalid_request", `unsupported WebSocket URL scheme ${target.protocol}`);
  }
  const chosen = proxyFor(target, readProxyEnv(options.env ?? process.env));
  if (chosen === undefined) return undefined;
  let proxy: URL;
  try {
    proxy = new URL(chosen.includes("://") ? chosen : `http://${chosen}`);
  } catch (cause) {
    throw new HttpError("invalid_proxy", "the proxy variable is not an http:// URL", { cause });
  }
  if (proxy.protocol !== "http:") {
    throw new HttpError("invalid_proxy", "the proxy variable is not an http:// URL");
  }
  const ca = secure ? loadCustomCa(options) : undefined;
  return new ConnectTunnelAgent(
    proxy,
    secure,
    ca === undefined ? undefined : [...rootCertificates, ca],
  );
}

/** What `ws` hands the agent for a `wss:` URL beyond the HTTP request options. */
type TunnelOptions = ClientRequestArgs & {
  readonly servername?: string;
  readonly ca?: string | string[];
};

/** An `http.Agent` whose every connection is a `CONNECT` tunnel through `proxy` (TLS inside for `wss:`). */
class ConnectTunnelAgent extends Agent {
  readonly #proxy: URL;
  readonly #secure: boolean;
  readonly #ca: string[] | undefined;

  constructor(proxy: URL, secure: boolean, ca: string[] | undefined) {
    super({ keepAlive: false });
    this.#proxy = proxy;
    this.#secure = secure;
    this.#ca = ca;
    // https.request checks the agent's protocol against the URL's; the tunnel does TLS itself.
    (this as unknown as { protocol: string }).protocol = secure ? "https:" : "http:";
  }

  override createConnection(
    options: TunnelOptions,
    callback?: (error: Error | null, stream: Duplex) => void,
  ): undefined {
    const done = (error: Error | null, stream?: Duplex) => {
      // Node's agent ignores the stream when an error is passed.
      callback?.(error, stream as Duplex);
    };
    const host = options.hostname ?? options.host ?? "localhost";
    const port = Number(options.port ?? (this.#secure ? 443 : 80));
    const target = `${host.includes(":") ? `[${host}]` : host}:${port}`;
    const headers: Record<string, string> = { host: target };
    if (this.#proxy.username !== "" || this.#proxy.password !== "") {
      const user = decodeURIComponent(this.#proxy.username);
      const pass = decodeURIComponent(this.#proxy.password);
      headers["proxy-authorization"] = `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
    }
    const connect = request({
      host: this.#proxy.hostname.replace(/^\[|\]$/g, ""),
      port: Number(this.#proxy.port || 80),
      method: "CONNECT",
      path: target,
      headers,
      agent: false,
    });
    connect.once("connect", (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        // No `status` detail: that would read as the target's answer, not the proxy's.
        done(
          new HttpError("network", `the proxy refused the tunnel (status ${res.statusCode ?? 0})`),
        );
        return;
      }
      if (!this.#secure) {
        done(null, socket);
        return;
      }
      const ca = options.ca ?? this.#ca;
      const servername = options.servername ?? (isIP(host) === 0 ? host : undefined);
      const secure = tlsConnect({
        socket,
        // RFC 6066: no server name for an IP address (the certificate's IP SAN is checked).
        ...(servername === undefined || servername === "" ? {} : { servername }),
        ...(ca === undefined ? {} : { ca }),
      });
      secure.once("secureConnect", () => done(null, secure));
      secure.once("error", (error) => done(error));
    });
    connect.once("error", (error) => done(error));
    connect.end();
    return undefined;
  }
}
