import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { createSecureContext, rootCertificates } from "node:tls";
import { type Dispatcher, EnvHttpProxyAgent } from "undici";
import { HttpError } from "./errors.js";
import { envHttpProxyAgentOptions, readProxyEnv } from "./internal/proxy-env.js";

/** Environment variables consulted for a custom CA bundle, in priority order (upstream's). */
export const CUSTOM_CA_ENV_VARS = ["CODEX_CA_CERTIFICATE", "SSL_CERT_FILE"] as const;

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Options of {@link loadCustomCa} and {@link createDispatcher}. */
export interface DispatcherEnvOptions {
  /** Environment to read. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** File reader, for tests. Default `fs.readFileSync(path, "utf8")`. */
  readFile?: (path: string) => string;
}

/**
 * Reads the PEM bundle named by `CODEX_CA_CERTIFICATE`, else `SSL_CERT_FILE`. Returns `undefined`
 * when neither is set. The same bundle serves HTTP (through {@link createDispatcher}) and
 * WebSocket TLS (pass it as the `ca` option of the socket).
 *
 * @throws {HttpError} `invalid_ca` when the named file cannot be read, holds no certificate, or
 *   holds one that does not parse.
 */
export function loadCustomCa(options: DispatcherEnvOptions = {}): string | undefined {
  const env = options.env ?? process.env;
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, "utf8"));
  for (const name of CUSTOM_CA_ENV_VARS) {
    const path = env[name]?.trim();
    if (!path) continue;
    let pem: string;
    try {
      pem = readFile(path);
    } catch (cause) {
      throw new HttpError("invalid_ca", `cannot read the CA bundle named by ${name} (${path})`, {
        cause,
      });
    }
    const certificates = pem.match(PEM_CERTIFICATE) ?? [];
    if (certificates.length === 0) {
      throw new HttpError(
        "invalid_ca",
        `the file named by ${name} (${path}) holds no PEM certificate`,
      );
    }
    // TLS silently skips certificates it cannot parse (the CA would just not be trusted).
    for (const certificate of certificates) {
      try {
        new X509Certificate(certificate);
      } catch (cause) {
        throw new HttpError(
          "invalid_ca",
          `the file named by ${name} (${path}) holds a certificate that does not parse`,
          { cause },
        );
      }
    }
    return pem;
  }
  return undefined;
}

/** Options of {@link createDispatcher}. */
export interface CreateDispatcherOptions extends DispatcherEnvOptions {
  /** TCP + TLS connect deadline. Default 10 s. */
  connectTimeoutMs?: number;
  /** Idle keep-alive of pooled sockets. Default 4 s (undici's). */
  keepAliveTimeoutMs?: number;
}

/**
 * Builds an undici dispatcher: connection pooling and keep-alive, proxies from `HTTP_PROXY` /
 * `HTTPS_PROXY` / `NO_PROXY`, and the custom CA from {@link loadCustomCa} for both direct and
 * proxied TLS (in addition to Node's default roots). Most callers want the process-wide
 * {@link defaultDispatcher}, which `createHttpClient` uses unless given another; build one with
 * this only for a different environment (tests, a second proxy), and close it when done.
 *
 * @example
 * ```ts
 * const dispatcher = createDispatcher({ env: { HTTPS_PROXY: "http://127.0.0.1:3128" } });
 * const http = createHttpClient({ dispatcher });
 * // ...
 * await dispatcher.close();
 * ```
 */
export function createDispatcher(options: CreateDispatcherOptions = {}): Dispatcher {
  const env = options.env ?? process.env;
  const ca = loadCustomCa(options);
  // Added to Node's default roots, not instead of them (as upstream adds the bundle to reqwest's
  // roots): hosts outside a corporate proxy still verify. One context, built once, for every
  // connection.
  const tls =
    ca === undefined
      ? {}
      : { secureContext: createSecureContext({ ca: [...rootCertificates, ca] }) };
  return new EnvHttpProxyAgent({
    connect: { timeout: options.connectTimeoutMs ?? 10_000, ...tls },
    requestTls: tls,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
    // The variables read as websocketProxyAgent reads them; undici then applies the NO_PROXY
    // rule that internal/proxy-env.ts mirrors for WebSockets.
    ...envHttpProxyAgentOptions(readProxyEnv(env)),
  });
}

let processDispatcher: Dispatcher | undefined;

/**
 * The one undici dispatcher of the process, built from `process.env` by {@link createDispatcher}
 * on first use and shared by every client after that, so connections are pooled across login,
 * model calls and agent-identity calls. `createHttpClient` uses it when no `dispatcher` is given.
 * A failure to build it (`invalid_ca`) is thrown to the caller and not remembered: the next call
 * tries again.
 *
 * @throws {HttpError} `invalid_ca` when the custom CA bundle cannot be loaded.
 * @example
 * ```ts
 * import { defaultDispatcher } from "@codex/http";
 * const socket = new WebSocket(url, { dispatcher: defaultDispatcher() });
 * ```
 */
export function defaultDispatcher(): Dispatcher {
  processDispatcher ??= createDispatcher();
  return processDispatcher;
}
