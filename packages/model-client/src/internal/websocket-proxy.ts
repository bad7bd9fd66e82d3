import { Agent, type AgentOptions, type ClientRequestArgs, request } from "node:http";
import type { Duplex } from "node:stream";
import { connect as tlsConnect } from "node:tls";

type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  "ws:": 80,
  "wss:": 443,
  "http:": 80,
  "https:": 443,
};

function variable(env: Env, upper: string): string | undefined {
  const value = env[upper] ?? env[upper.toLowerCase()];
  return value === undefined || value === "" ? undefined : value;
}

/**
 * Whether `url` bypasses the proxy under `NO_PROXY`, with the rules of undici's
 * `EnvHttpProxyAgent` (what @codex/http's dispatcher uses for HTTP): `*` bypasses everything;
 * entries split on commas or spaces, `host` or `host:port`, a leading `.` or `*.` ignored, a host
 * matching itself and its subdomains.
 */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (noProxy === undefined || noProxy === "") return false;
  if (noProxy === "*") return true;
  const hostname = url.host.replace(/:\d*$/, "").toLowerCase();
  const port = Number.parseInt(url.port, 10) || DEFAULT_PORTS[url.protocol] || 0;
  for (const entry of noProxy.split(/[,\s]/)) {
    if (entry === "") continue;
    const parsed = /^(.+):(\d+)$/.exec(entry);
    const host = (parsed?.[1] ?? entry).replace(/^\*?\./, "").toLowerCase();
    const entryPort = parsed?.[2] === undefined ? 0 : Number.parseInt(parsed[2], 10);
    if (entryPort !== 0 && entryPort !== port) continue;
    if (hostname === host || hostname.endsWith(`.${host}`)) return true;
  }
  return false;
}

/**
 * The proxy URL for a WebSocket URL, chosen as @codex/http's dispatcher chooses for HTTP:
 * `wss:` uses `HTTPS_PROXY`, else `HTTP_PROXY`; `ws:` uses `HTTP_PROXY`; either upper or lower
 * case; none when `NO_PROXY` matches the host.
 */
export function websocketProxyFor(url: URL, env: Env): URL | undefined {
  const httpProxy = variable(env, "HTTP_PROXY");
  const chosen = url.protocol === "wss:" ? (variable(env, "HTTPS_PROXY") ?? httpProxy) : httpProxy;
  if (chosen === undefined) return undefined;
  if (bypassesProxy(url, variable(env, "NO_PROXY"))) return undefined;
  try {
    const proxy = new URL(chosen.includes("://") ? chosen : `http://${chosen}`);
    if (proxy.protocol !== "http:") throw new Error("unsupported proxy scheme");
    return proxy;
  } catch (cause) {
    throw new Error("the proxy variable is not an http:// URL", { cause });
  }
}

/** What ws hands the agent for a `wss:` URL beyond the HTTP request options. */
type TunnelOptions = ClientRequestArgs & {
  readonly servername?: string;
  readonly ca?: string | string[];
};

/**
 * An `http.Agent` that opens each connection as an HTTP `CONNECT` tunnel through `proxy`
 * (credentials in the proxy URL become `Proxy-Authorization: Basic`), then, for `wss:`, runs
 * TLS to the target inside the tunnel with the given CA. One tunnel per WebSocket.
 */
export class ConnectTunnelAgent extends Agent {
  readonly #proxy: URL;
  readonly #secure: boolean;

  constructor(proxy: URL, secure: boolean, options: AgentOptions = {}) {
    super({ ...options, keepAlive: false });
    this.#proxy = proxy;
    this.#secure = secure;
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
        done(new Error(`the proxy refused the tunnel (status ${res.statusCode ?? 0})`));
        return;
      }
      if (!this.#secure) {
        done(null, socket);
        return;
      }
      const secure = tlsConnect({
        socket,
        servername: options.servername ?? host,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
      });
      secure.once("secureConnect", () => done(null, secure));
      secure.once("error", (error) => done(error));
    });
    connect.once("error", (error) => done(error));
    connect.end();
    return undefined;
  }
}
