import { formatRfc3339, instantFromMillis, Secret } from "@codex/wire";
import type { AuthDotJson } from "./auth-dot-json.js";
import { LoginError, toLoginError } from "./errors.js";
import type { ExternalAuth, ExternalAuthTokens } from "./external-auth.js";
import { parseIdToken } from "./id-token.js";
import { timeoutSignal } from "./internal/timeout-signal.js";
import { checkForcedWorkspace } from "./login-restrictions.js";
import { planTypeFromRawValue } from "./plan-type.js";

/** Input of {@link refreshExternalTokens}. */
export interface ExternalRefreshInput {
  /** The host refresher; without one the refresh fails with `external_auth_not_configured`. */
  readonly provider: ExternalAuth | undefined;
  /** The host tokens being replaced (their account and the agent identity they carry). */
  readonly previous: AuthDotJson | undefined;
  /** Deadline of the host's answer. */
  readonly timeoutMs: number;
  /** `forced_chatgpt_workspace_id`: the host must answer for this workspace. */
  readonly forcedWorkspaceId: string | undefined;
  readonly now: () => Date;
  /** Also stops the wait (the host sees it aborted). */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Builds the in-memory auth of host-owned tokens (`chatgptAuthTokens`): the access token's claims
 * with the host's account and plan, no refresh token, and the agent identity of `previous`.
 */
export function hostTokensAuthDotJson(
  accessToken: Secret,
  accountId: string,
  planType: string | undefined,
  previous: AuthDotJson | undefined,
  now: Date,
): AuthDotJson {
  const info = parseIdToken(accessToken.reveal());
  const plan =
    planType !== undefined
      ? planTypeFromRawValue(planType)
      : (info.chatgptPlanType ?? { unknown: "unknown" });
  return {
    authMode: "chatgptAuthTokens",
    openaiApiKey: null,
    tokens: {
      idToken: { ...info, chatgptAccountId: accountId, chatgptPlanType: plan },
      accessToken,
      refreshToken: new Secret(""),
      accountId,
    },
    lastRefresh: formatRfc3339(instantFromMillis(now.getTime())),
    agentIdentity: previous?.agentIdentity,
  };
}

/**
 * Asks the host for new tokens (reason `unauthorized`) under a deadline, checks its answer and
 * returns the auth to install. The host's `signal` aborts at the deadline (or with `signal`); the
 * wait ends then even if the host ignores it.
 *
 * @throws {LoginError} `external_auth_not_configured`, `external_auth_timeout`,
 *   `external_auth_failed`, `external_metadata_missing`, `workspace_mismatch`.
 */
export async function refreshExternalTokens(input: ExternalRefreshInput): Promise<AuthDotJson> {
  const provider = input.provider;
  if (!provider) {
    throw new LoginError("external_auth_not_configured", "external auth is not configured");
  }
  const deadline = timeoutSignal(input.timeoutMs);
  const signal = input.signal ? AbortSignal.any([deadline, input.signal]) : deadline;
  const timedOut = () =>
    new LoginError(
      "external_auth_timeout",
      `auth refresh request timed out after ${Math.round(input.timeoutMs / 1000)}s`,
    );
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => reject(deadline.aborted ? timedOut() : signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  let answer: ExternalAuthTokens;
  try {
    answer = await Promise.race([
      Promise.resolve().then(() =>
        provider.refresh({
          reason: "unauthorized",
          previousAccountId: input.previous?.tokens?.accountId ?? undefined,
          signal,
        }),
      ),
      stopped,
    ]);
  } catch (err) {
    if (deadline.aborted) throw timedOut();
    throw new LoginError("external_auth_failed", "auth refresh request failed", { cause: err });
  } finally {
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
  const metadata = answer?.chatgptMetadata;
  if (!metadata || typeof metadata.accountId !== "string" || metadata.accountId === "") {
    throw new LoginError(
      "external_metadata_missing",
      "external auth refresh did not return ChatGPT metadata",
    );
  }
  checkForcedWorkspace(input.forcedWorkspaceId, metadata.accountId, "refresh");
  const token =
    typeof answer.accessToken === "string" ? new Secret(answer.accessToken) : answer.accessToken;
  if (!Secret.is(token) || token.isEmpty) {
    throw new LoginError("external_auth_failed", "external auth refresh returned no access token");
  }
  try {
    return hostTokensAuthDotJson(
      token,
      metadata.accountId,
      metadata.planType,
      input.previous,
      input.now(),
    );
  } catch (err) {
    throw toLoginError(err, "external_auth_failed", "external auth refresh returned a bad token");
  }
}
