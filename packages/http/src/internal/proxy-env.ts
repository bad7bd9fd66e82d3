/**
 * The proxy variables of the environment and the choice they make for a URL, shared by the HTTP
 * dispatcher (which hands the values to undici's `EnvHttpProxyAgent`) and the WebSocket tunnel
 * agent (which applies the choice itself), so HTTP and WebSocket cannot disagree.
 */

type Env = Readonly<Record<string, string | undefined>>;

/** The proxy variables, each `undefined` when unset or empty. */
export interface ProxyEnv {
  readonly httpProxy: string | undefined;
  readonly httpsProxy: string | undefined;
  readonly noProxy: string | undefined;
}

/**
 * `NAME` if set, else `name` (as reqwest, behind upstream, reads them: an upper-case variable set
 * to the empty string hides the lower-case one); empty means unset.
 */
function variable(env: Env, upper: string): string | undefined {
  const value = env[upper] ?? env[upper.toLowerCase()];
  return value === undefined || value === "" ? undefined : value;
}

/** Reads `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` (either case) from `env`. */
export function readProxyEnv(env: Env): ProxyEnv {
  return {
    httpProxy: variable(env, "HTTP_PROXY"),
    httpsProxy: variable(env, "HTTPS_PROXY"),
    noProxy: variable(env, "NO_PROXY"),
  };
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  "ws:": 80,
  "wss:": 443,
  "http:": 80,
  "https:": 443,
};

/**
 * Whether `url` bypasses the proxy under `noProxy`. The rule mirrors undici's `EnvHttpProxyAgent`
 * (which applies it to HTTP in the dispatcher) line for line, and `proxy-env.test.ts` runs one
 * table through both: `*` bypasses everything; entries split on commas or whitespace, `host` or
 * `host:port`, a leading `.` or `*.` ignored, case-insensitive, a host matching itself and its
 * subdomains; an entry's port must equal the URL's (explicit or the scheme's default).
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
 * The proxy variable's value that applies to `url`, or `undefined` to connect directly, chosen as
 * undici's `EnvHttpProxyAgent` chooses: `https:` / `wss:` use `HTTPS_PROXY`, else `HTTP_PROXY`;
 * `http:` / `ws:` use `HTTP_PROXY`; none when `NO_PROXY` matches.
 */
export function proxyFor(url: URL, proxyEnv: ProxyEnv): string | undefined {
  const secure = url.protocol === "https:" || url.protocol === "wss:";
  const chosen = secure ? (proxyEnv.httpsProxy ?? proxyEnv.httpProxy) : proxyEnv.httpProxy;
  if (chosen === undefined || bypassesProxy(url, proxyEnv.noProxy)) return undefined;
  return chosen;
}

/**
 * The proxy options of undici's `EnvHttpProxyAgent` for `proxyEnv`. Empty strings for unset
 * variables stop undici from reading `process.env` behind the caller's `env`.
 */
export function envHttpProxyAgentOptions(proxyEnv: ProxyEnv): {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
} {
  return {
    httpProxy: proxyEnv.httpProxy ?? "",
    httpsProxy: proxyEnv.httpsProxy ?? "",
    noProxy: proxyEnv.noProxy ?? "",
  };
}
