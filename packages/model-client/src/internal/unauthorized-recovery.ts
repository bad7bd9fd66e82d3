import type { Logger } from "@codex/wire";
import type { AuthRecovery } from "../model-auth.js";
import { ModelClientError } from "../model-client-error.js";
import { type PendingUnauthorizedRetry, pendingRetryFromRecovery } from "./auth-telemetry.js";

/**
 * Runs the next step of the login's 401 recovery; what ran when the request should be sent
 * again, `undefined` when no step remains.
 *
 * @throws {ModelClientError} `refresh_token_failed` when the step fails.
 */
export async function recoverUnauthorized(
  recovery: AuthRecovery | undefined,
  logger: Logger,
): Promise<PendingUnauthorizedRetry | undefined> {
  if (recovery === undefined || !recovery.hasNext()) return undefined;
  const phase = recovery.stepName();
  try {
    await recovery.next();
  } catch (cause) {
    logger.warn("unauthorized recovery failed", { mode: recovery.mode, phase });
    throw new ModelClientError(
      "refresh_token_failed",
      "Your access token could not be refreshed. Please sign in again.",
      { status: 401, cause },
    );
  }
  logger.debug("retrying after unauthorized recovery", { mode: recovery.mode, phase });
  return pendingRetryFromRecovery(recovery.mode, phase);
}
