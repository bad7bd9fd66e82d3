import { authHeaders } from "../model-auth.js";
import { type ModelProviderInfo, providerHeaders } from "../model-provider-info.js";
import { type SessionSource, subagentHeaders } from "../session-source.js";
import {
  asciiHeaderValue,
  RESPONSES_WEBSOCKETS_BETA,
  X_CLIENT_REQUEST_ID_HEADER,
  X_CODEX_BETA_FEATURES_HEADER,
  X_CODEX_INSTALLATION_ID_HEADER,
  X_CODEX_TURN_METADATA_HEADER,
  X_CODEX_TURN_STATE_HEADER,
  X_CODEX_WINDOW_ID_HEADER,
} from "./request-headers.js";
import type { SendSetup } from "./send-setup.js";

/** The session-scoped values the client's headers are built from. */
export interface HeaderSource {
  readonly provider: ModelProviderInfo;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly originator: string;
  readonly userAgent: string;
  readonly sessionId: string;
  readonly threadId: string;
  readonly installationId: string;
  readonly sessionSource: SessionSource;
  readonly betaFeatures: readonly string[] | undefined;
  readonly includeTimingMetrics: boolean;
  /** `<thread id>:<window generation>` at the time of the call. */
  windowId(): string;
}

/** The provider's headers, `originator` and `user-agent`. */
export function baseHeaders(source: HeaderSource): Record<string, string> {
  return {
    ...providerHeaders(source.provider, source.env),
    originator: source.originator,
    "user-agent": source.userAgent,
  };
}

/** The headers of every Responses and compaction request: base, ids, sub-agent, beta, metadata. */
export function commonHeaders(
  source: HeaderSource,
  turnMetadata: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {
    ...baseHeaders(source),
    "session-id": source.sessionId,
    "thread-id": source.threadId,
    [X_CODEX_WINDOW_ID_HEADER]: source.windowId(),
    ...subagentHeaders(source.sessionSource),
  };
  const beta = (source.betaFeatures ?? []).filter((f) => f !== "").join(",");
  if (beta !== "") headers[X_CODEX_BETA_FEATURES_HEADER] = beta;
  if (turnMetadata !== undefined) {
    const value = asciiHeaderValue(turnMetadata);
    if (value !== undefined) headers[X_CODEX_TURN_METADATA_HEADER] = value;
  }
  return headers;
}

/**
 * The headers of a WebSocket handshake: common, request id, `openai-beta`, auth, attestation
 * (asked for last), timing metrics and the turn state.
 */
export async function websocketHeaders(
  source: HeaderSource,
  setup: SendSetup,
  turnState: string | undefined,
  turnMetadata: string | undefined,
  attestation: () => Promise<Record<string, string>>,
): Promise<Record<string, string>> {
  const headers: Record<string, string> = {
    ...commonHeaders(source, turnMetadata),
    [X_CLIENT_REQUEST_ID_HEADER]: source.threadId,
    "openai-beta": RESPONSES_WEBSOCKETS_BETA,
    ...authHeaders(setup.auth),
    ...(await attestation()),
  };
  if (source.includeTimingMetrics) {
    headers["x-responsesapi-include-timing-metrics"] = "true";
  }
  if (turnState !== undefined) headers[X_CODEX_TURN_STATE_HEADER] = turnState;
  return headers;
}

/**
 * The `client_metadata` of a WebSocket `response.create`: installation id, window id, the
 * sub-agent keys and the turn metadata.
 */
export function websocketClientMetadata(
  source: HeaderSource,
  turnMetadata: string | undefined,
): Record<string, string> {
  const metadata: Record<string, string> = {
    [X_CODEX_INSTALLATION_ID_HEADER]: source.installationId,
    [X_CODEX_WINDOW_ID_HEADER]: source.windowId(),
    ...subagentHeaders(source.sessionSource),
  };
  delete metadata["x-openai-memgen-request"];
  if (turnMetadata !== undefined) metadata[X_CODEX_TURN_METADATA_HEADER] = turnMetadata;
  return metadata;
}
