import type { Server } from "node:http";
import { request } from "node:http";
import { LoginError } from "../errors.js";

/** Upstream's login server port. */
export const DEFAULT_LOGIN_PORT = 1455;
/** Upstream's fallback port when 1455 stays busy. */
export const FALLBACK_LOGIN_PORT = 1457;

/** How a busy port is retried. */
export interface BindRetryPolicy {
  /** Attempts per port after the first failure (upstream: 10). */
  readonly attempts: number;
  /** Pause between attempts in ms (upstream: 200). */
  readonly delayMs: number;
  /** Deadline of the `/cancel` request sent to a previous login server (upstream: 2 s). */
  readonly cancelTimeoutMs: number;
}

/** Upstream's retry policy. */
export const DEFAULT_BIND_RETRY: BindRetryPolicy = {
  attempts: 10,
  delayMs: 200,
  cancelTimeoutMs: 2000,
};

/** The ports tried, in order: the requested one, then 1457 when the requested one is 1455. */
export function loginPortCandidates(port: number, fallbackPort?: number | null): number[] {
  const fallback =
    fallbackPort === undefined
      ? port === DEFAULT_LOGIN_PORT
        ? FALLBACK_LOGIN_PORT
        : null
      : fallbackPort;
  return fallback === null || fallback === port ? [port] : [port, fallback];
}

function listenOnce(server: Server, port: number, host: string): Promise<"ok" | "busy"> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      if (err.code === "EADDRINUSE") resolve("busy");
      else reject(err);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve("ok");
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen({ port, host, exclusive: true });
  });
}

/**
 * Asks a previous login server on `port` to shut down: one `GET /cancel` with
 * `Connection: close`. Any outcome (refused, timeout, non-login server) is ignored.
 */
export function sendCancelRequest(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const req = request(
      {
        host,
        port,
        method: "GET",
        path: "/cancel",
        headers: { Host: `${host}:${port}`, Connection: "close" },
        timeout: timeoutMs,
        agent: false,
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve());
        res.on("error", () => resolve());
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve());
    req.end();
  });
}

/** Options of {@link bindLoginServer}. */
export interface BindOptions {
  readonly host: string;
  readonly port: number;
  readonly fallbackPort?: number | null | undefined;
  readonly retry: BindRetryPolicy;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * Binds `server` like upstream: try the port; if busy, send `/cancel` once to a previous login
 * server and retry (`attempts` × `delayMs`); then try the fallback port (no cancel). Port 0 lets
 * the OS choose. Returns the port actually bound.
 *
 * @throws {LoginError} code `port_in_use` (`Port 127.0.0.1:1455 is already in use`).
 */
export async function bindLoginServer(server: Server, options: BindOptions): Promise<number> {
  const candidates = loginPortCandidates(options.port, options.fallbackPort ?? undefined);
  for (const [index, port] of candidates.entries()) {
    if ((await listenOnce(server, port, options.host)) === "ok") return boundPort(server);
    if (index === 0) await sendCancelRequest(options.host, port, options.retry.cancelTimeoutMs);
    for (let attempt = 0; attempt < options.retry.attempts; attempt++) {
      await options.sleep(options.retry.delayMs);
      if ((await listenOnce(server, port, options.host)) === "ok") return boundPort(server);
    }
  }
  const last = candidates[candidates.length - 1] ?? options.port;
  throw new LoginError("port_in_use", `Port ${options.host}:${last} is already in use`);
}

function boundPort(server: Server): number {
  const addr = server.address();
  if (addr === null || typeof addr === "string") {
    throw new LoginError("login_failed", "login server has no TCP address");
  }
  return addr.port;
}
