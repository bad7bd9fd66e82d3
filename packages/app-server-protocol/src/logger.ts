/**
 * The structural logger this package writes to. Any object with a `warn` method fits (console,
 * pino, the workspace's logger). Fields never contain payload values, only methods, ids, sizes
 * and reasons.
 */
export interface ProtocolLogger {
  /** Something was dropped or ignored. */
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** The default logger: says nothing. */
export const silentLogger: ProtocolLogger = {
  warn() {},
};
