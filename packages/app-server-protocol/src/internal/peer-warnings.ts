import type { Logger } from "@codex/wire";
import { AppServerProtocolError } from "../protocol-error.js";

/** Logs a warning of the peer; fields never hold message contents, only names and codes. */
export type PeerWarn = (message: string, fields?: Record<string, unknown>) => void;

/** A warn function over `logger`; a logger that throws never breaks the connection. */
export function createPeerWarn(logger: Logger): PeerWarn {
  return (message, fields) => {
    try {
      logger.warn(message, fields);
    } catch {
      // The logger is the only place to report its own failure; drop the entry.
    }
  };
}

/** A loggable name of a thrown value (never its message, which might hold a secret). */
export function errorName(error: unknown): string {
  if (AppServerProtocolError.is(error)) return `${error.name}(${error.code})`;
  if (error instanceof Error) return error.name;
  return typeof error;
}
