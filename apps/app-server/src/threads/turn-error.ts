import { rpcErrorOf } from "@codex/app-server-protocol";
import { isLoginError } from "@codex/login";
import { ModelClientError } from "@codex/model-client";
import type { CodexErrorInfo, EngineTurnError } from "./thread-items.js";

const REFRESH_FAILED_PREFIX = "auth refresh request failed";
/** How 0.169 words a stream error (`CodexErr::Stream`) in a turn's error. */
export const STREAM_DISCONNECTED_PREFIX = "stream disconnected before completion: ";

function causeOf(error: unknown): unknown {
  return error instanceof Error ? error.cause : undefined;
}

/**
 * The message of a failed host-token refresh found in `error`'s cause chain, as 0.169 words it:
 * `auth refresh request failed: code=<json-rpc code>` for an error answer (the client's message
 * is left out), `auth refresh request timed out after 10s` for no answer, login's own text for
 * the other refusals (workspace mismatch, no metadata).
 */
export function refreshFailureMessage(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 8; e = causeOf(e), depth++) {
    if (!isLoginError(e)) continue;
    switch (e.code) {
      case "external_auth_failed": {
        const cause = e.cause;
        const rpc = rpcErrorOf(cause);
        if (rpc !== undefined) return `${REFRESH_FAILED_PREFIX}: code=${rpc.code}`;
        const code = (cause as { rpcError?: { code?: unknown }; code?: unknown } | undefined)?.code;
        if (typeof code === "number") return `${REFRESH_FAILED_PREFIX}: code=${code}`;
        if (cause instanceof Error && cause.message.startsWith(REFRESH_FAILED_PREFIX)) {
          return cause.message;
        }
        return e.message;
      }
      case "external_auth_timeout":
      case "external_metadata_missing":
      case "external_auth_not_configured":
      case "workspace_mismatch":
        return e.message;
      default:
        break;
    }
  }
  return undefined;
}

function errorInfoOf(error: ModelClientError): CodexErrorInfo {
  switch (error.code) {
    case "context_window_exceeded":
      return "contextWindowExceeded";
    case "usage_limit_reached":
    case "quota_exceeded":
    case "usage_not_included":
      return "usageLimitExceeded";
    case "server_overloaded":
      return "serverOverloaded";
    case "cyber_policy":
      return "cyberPolicy";
    case "internal_server_error":
      return "internalServerError";
    case "invalid_request":
      // 0.169 reports a `response.failed` refusal (`invalid_prompt`) as `other`.
      return error.status === 400 ? "badRequest" : "other";
    case "unexpected_status":
      return error.status === 401 ? "unauthorized" : "other";
    default:
      return "other";
  }
}

/**
 * The turn-error text of a model error. The model client words a broken stream by its reason
 * (`stream closed before response.completed`, `idle timeout waiting for SSE`,
 * `Incomplete response returned, …`) as upstream's `ApiError::Stream` does, and a retryable
 * `response.failed` by the server's message (`ApiError::Retryable`); 0.169's turn reports both as
 * `CodexErr::Stream`, whose text is `stream disconnected before completion: <reason>`.
 */
export function modelErrorMessage(error: ModelClientError): string {
  if (error.code !== "stream" && error.code !== "retryable") return error.message;
  return error.message.startsWith(STREAM_DISCONNECTED_PREFIX)
    ? error.message
    : `${STREAM_DISCONNECTED_PREFIX}${error.message}`;
}

/**
 * The `TurnError` of a failed turn: a refresh failure keeps the refresher's message with
 * `codexErrorInfo: "other"` (as 0.169); a model error keeps its message (a stream error with
 * 0.169's prefix, {@link modelErrorMessage}) and maps its code; anything else gives its message
 * (never a token: errors of this stack carry none).
 */
export function turnErrorOf(error: unknown): EngineTurnError {
  const refresh = refreshFailureMessage(error);
  if (refresh !== undefined) {
    return {
      message: refresh,
      codexErrorInfo: "other",
      additionalDetails: null,
      misalignment: null,
    };
  }
  if (ModelClientError.is(error)) {
    return {
      message: modelErrorMessage(error),
      codexErrorInfo: errorInfoOf(error),
      additionalDetails: null,
      misalignment: null,
    };
  }
  const message = error instanceof Error && error.message !== "" ? error.message : "turn failed";
  return { message, codexErrorInfo: "other", additionalDetails: null, misalignment: null };
}
