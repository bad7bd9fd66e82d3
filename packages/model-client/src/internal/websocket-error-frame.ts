import { isJsonObject, type JsonObject } from "@codex/wire";
import { ModelClientError } from "../model-client-error.js";
import { statusError } from "./status-error.js";

/** A WebSocket error frame: `{"type":"error","status":N,"error":{...},"headers":{...}}`. */
export function errorFrameError(frame: JsonObject, raw: string): ModelClientError {
  const status = typeof frame.status === "number" ? frame.status : 0;
  const error = isJsonObject(frame.error) ? frame.error : {};
  if (error.code === "websocket_connection_limit_reached") {
    return new ModelClientError(
      "retryable",
      "Responses websocket connection limit reached (60 minutes); reconnecting.",
      { errorCode: "websocket_connection_limit_reached" },
    );
  }
  const headers = new Headers();
  if (isJsonObject(frame.headers)) {
    for (const [name, value] of Object.entries(frame.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
  }
  if (status === 0) {
    const message = typeof error.message === "string" ? error.message : "websocket error event";
    return new ModelClientError("stream", message);
  }
  return statusError(status, headers, raw);
}

/** WebSocket error frames after which a new socket gets the full request again. */
export function reconnectableFrame(error: ModelClientError): boolean {
  return (
    error.status === 429 ||
    (error.status !== undefined && error.status >= 500) ||
    error.errorCode === "websocket_connection_limit_reached"
  );
}
