import { HttpError } from "@codex/http";
import { ModelClientError } from "../model-client-error.js";

const MAX_ERROR_BODY_BYTES = 64 * 1024;

export async function readErrorBody(response: Response): Promise<string> {
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
      if (total >= MAX_ERROR_BODY_BYTES) break;
    }
  } catch {
    // A body cut while reading an error: what arrived is enough.
  } finally {
    void reader.cancel().catch(() => {});
  }
  return new TextDecoder().decode(Buffer.concat(chunks)).slice(0, MAX_ERROR_BODY_BYTES);
}

export function transportError(error: unknown): ModelClientError {
  if (ModelClientError.is(error)) return error;
  if (HttpError.is(error)) {
    switch (error.code) {
      case "timeout":
        return new ModelClientError("timeout", "timed out waiting for the model response", {
          cause: error,
        });
      case "aborted":
        return new ModelClientError("aborted", "the model request was cancelled", { cause: error });
      case "invalid_request":
      case "invalid_ca":
      case "invalid_proxy":
        return new ModelClientError("invalid_argument", error.message, { cause: error });
      default:
        return new ModelClientError(
          "connection_failed",
          `stream disconnected before completion: ${error.message}`,
          { cause: error },
        );
    }
  }
  return new ModelClientError("connection_failed", "the model request failed", { cause: error });
}

/**
 * Errors a stream call sends again itself (within `streamMaxRetries`), announcing `reconnecting`:
 * upstream's turn-level retryable set (cut or idle streams, timeouts, connection failures, 5xx and
 * other unexpected statuses after the transport's retries). Quota, usage, context-window, 429,
 * refused refresh and invalid requests are final.
 */
export function streamRetryable(error: ModelClientError): boolean {
  return error.retryable;
}
