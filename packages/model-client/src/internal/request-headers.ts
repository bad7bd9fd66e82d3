import { arch, release, type } from "node:os";

/** The default `originator`. */
export const DEFAULT_ORIGINATOR = "codex_cli_rs";
/** Environment variable that overrides the originator. */
export const ORIGINATOR_OVERRIDE_ENV = "CODEX_INTERNAL_ORIGINATOR_OVERRIDE";
/** `x-codex-window-id`: `<thread id>:<window generation>`. */
export const X_CODEX_WINDOW_ID_HEADER = "x-codex-window-id";
/** `x-codex-installation-id` (body `client_metadata` on `/responses`, header on compaction). */
export const X_CODEX_INSTALLATION_ID_HEADER = "x-codex-installation-id";
/** `x-codex-turn-metadata`: the turn layer's JSON string. */
export const X_CODEX_TURN_METADATA_HEADER = "x-codex-turn-metadata";
/** `x-codex-turn-state`: sticky routing within a turn. */
export const X_CODEX_TURN_STATE_HEADER = "x-codex-turn-state";
/** `x-codex-beta-features`: comma-separated enabled beta features. */
export const X_CODEX_BETA_FEATURES_HEADER = "x-codex-beta-features";
/** `x-client-request-id` (the thread id). */
export const X_CLIENT_REQUEST_ID_HEADER = "x-client-request-id";
/** `OpenAI-Beta` value of the Responses WebSocket handshake. */
export const RESPONSES_WEBSOCKETS_BETA = "responses_websockets=2026-02-06";

/**
 * The originator: `CODEX_INTERNAL_ORIGINATOR_OVERRIDE` when set and non-empty, else
 * `codex_cli_rs`.
 */
export function resolveOriginator(env: Readonly<Record<string, string | undefined>>): string {
  const override = env[ORIGINATOR_OVERRIDE_ENV]?.trim();
  return override === undefined || override === "" ? DEFAULT_ORIGINATOR : override;
}

/** Replaces every character outside printable ASCII with `_` (upstream's user-agent rule). */
export function sanitizeHeaderText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "_");
}

/** Facts the user agent is built from; each has a real default. */
export interface UserAgentParts {
  readonly originator: string;
  readonly version: string;
  readonly osType?: string;
  readonly osVersion?: string;
  readonly arch?: string;
  /** Terminal identification (default `TERM_PROGRAM`, else `unknown`). */
  readonly terminal?: string;
  /** Appended as ` (<suffix>)`. */
  readonly suffix?: string;
}

/**
 * `{originator}/{version} ({os} {os version}; {arch}) {terminal}` plus an optional
 * ` ({suffix})`, non-printable characters replaced by `_`.
 *
 * @example
 * ```ts
 * buildUserAgent({ originator: "codex_cli_rs", version: "0.1.0", osType: "Linux", osVersion: "6.1", arch: "x64", terminal: "xterm" });
 * // "codex_cli_rs/0.1.0 (Linux 6.1; x64) xterm"
 * ```
 */
export function buildUserAgent(parts: UserAgentParts): string {
  const base = `${parts.originator}/${parts.version} (${parts.osType ?? type()} ${
    parts.osVersion ?? release()
  }; ${parts.arch ?? arch()}) ${parts.terminal ?? "unknown"}`;
  return sanitizeHeaderText(parts.suffix === undefined ? base : `${base} (${parts.suffix})`);
}

/**
 * Writes every non-ASCII UTF-16 unit of `text` as `\uXXXX`, so JSON stays JSON and becomes a
 * legal header value. Returns undefined when the result still holds control characters.
 */
export function asciiHeaderValue(text: string): string | undefined {
  const escaped = text.replace(
    /[\u0080-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  return /[\x00-\x08\x0a-\x1f\x7f]/.test(escaped) ? undefined : escaped;
}
