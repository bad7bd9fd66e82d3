import type { RequestAuth } from "../model-auth.js";

/** The recovery step that ran before this send (upstream `PendingUnauthorizedRetry`). */
export interface PendingUnauthorizedRetry {
  readonly retryAfterUnauthorized: boolean;
  readonly recoveryMode?: string;
  readonly recoveryPhase?: string;
}

/** No recovery ran before this send. */
export const NO_PENDING_RETRY: PendingUnauthorizedRetry = { retryAfterUnauthorized: false };

/** After a recovery step of `mode`/`phase` ran. */
export function pendingRetryFromRecovery(mode: string, phase: string): PendingUnauthorizedRetry {
  return { retryAfterUnauthorized: true, recoveryMode: mode, recoveryPhase: phase };
}

/** Upstream's `AuthRequestTelemetryContext`: logged (debug) with every model send. */
export interface AuthRequestTelemetry {
  readonly auth_mode: "ApiKey" | "Chatgpt" | null;
  readonly auth_header_attached: boolean;
  readonly auth_header_name: "authorization" | null;
  readonly retry_after_unauthorized: boolean;
  readonly recovery_mode: string | null;
  readonly recovery_phase: string | null;
}

/** The telemetry of one send with `auth` after `pending`. */
export function authRequestTelemetry(
  auth: RequestAuth | undefined,
  pending: PendingUnauthorizedRetry,
): AuthRequestTelemetry {
  const attached = auth !== undefined && auth.authorization.reveal() !== "";
  return {
    auth_mode: auth === undefined ? null : auth.mode === "chatgpt" ? "Chatgpt" : "ApiKey",
    auth_header_attached: attached,
    auth_header_name: attached ? "authorization" : null,
    retry_after_unauthorized: pending.retryAfterUnauthorized,
    recovery_mode: pending.recoveryMode ?? null,
    recovery_phase: pending.recoveryPhase ?? null,
  };
}
