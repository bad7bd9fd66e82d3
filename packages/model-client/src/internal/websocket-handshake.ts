import type { AuthRecovery } from "../model-auth.js";
import { ModelClientError } from "../model-client-error.js";
import {
  type ModelProviderInfo,
  providerUrl,
  websocketConnectTimeoutMs,
} from "../model-provider-info.js";
import type { TurnOptions } from "../responses-request.js";
import {
  authRequestTelemetry,
  NO_PENDING_RETRY,
  type PendingUnauthorizedRetry,
} from "./auth-telemetry.js";
import type { ClientInternals } from "./client-internals.js";
import { statusError } from "./status-error.js";
import type { TurnStateCell } from "./turn-state.js";
import { recoverUnauthorized } from "./unauthorized-recovery.js";
import { WsConnection, type WsRefusal } from "./websocket-connection.js";

/**
 * A new Responses WebSocket handshake with the 401 loop (one attestation per handshake); the
 * handshake's turn state goes into `turnState`. `undefined` means the server refused WebSockets
 * (426) and the client fell back to HTTP.
 */
export async function openResponsesWebsocket(
  internals: ClientInternals,
  provider: ModelProviderInfo,
  turnState: TurnStateCell,
  turn: TurnOptions,
  signal: AbortSignal | undefined,
): Promise<WsConnection | undefined> {
  let recovery: AuthRecovery | undefined;
  let pending: PendingUnauthorizedRetry = NO_PENDING_RETRY;
  for (;;) {
    const setup = await internals.setup();
    internals.logger.debug("model request auth", {
      ...authRequestTelemetry(setup.auth, pending),
    });
    const headers = await internals.websocketHeaders(
      setup,
      turnState.value,
      turn.turnMetadata,
      signal,
    );
    const url = providerUrl(provider, setup.baseUrl, "responses").replace(/^http/, "ws");
    const result = await WsConnection.connect(
      url,
      headers,
      websocketConnectTimeoutMs(provider),
      signal,
      internals.websocketOptions(url),
    );
    if (result instanceof WsConnection) {
      turnState.capture(result.handshakeHeaders);
      return result;
    }
    if (result.kind === "failed") {
      if (signal?.aborted) {
        throw new ModelClientError("aborted", "the model request was cancelled", {
          cause: result.cause,
        });
      }
      if (result.timedOut) {
        throw new ModelClientError("timeout", "timed out opening the model WebSocket", {
          cause: result.cause,
        });
      }
      throw new ModelClientError(
        "connection_failed",
        `stream disconnected before completion: ${result.cause instanceof Error ? result.cause.message : "connection failed"}`,
        { cause: result.cause },
      );
    }
    const refusal: WsRefusal = result;
    if (refusal.status === 426) {
      internals.forceHttpFallback();
      return undefined;
    }
    if (refusal.status === 401 && setup.auth !== undefined) {
      recovery ??= internals.options.auth?.unauthorizedRecovery?.();
      const next = await recoverUnauthorized(recovery, internals.logger);
      if (next !== undefined) {
        pending = next;
        continue;
      }
    }
    throw statusError(refusal.status, refusal.headers, refusal.body);
  }
}
