import { type AuthDotJson, authDotJsonEquals } from "./auth-dot-json.js";
import type { CodexAuth } from "./codex-auth.js";
import { LoginError } from "./errors.js";

/** Recovery mode: `managed` (Codex refreshes) or `external` (the host refreshes). */
export type UnauthorizedRecoveryMode = "managed" | "external";
/** Telemetry name of the next step. */
export type UnauthorizedRecoveryStep = "reload" | "refresh_token" | "external_refresh" | "done";
/** Why no step is available (`ready` when one is). */
export type UnauthorizedRecoveryUnavailableReason =
  | "not_chatgpt_auth"
  | "no_external_auth"
  | "recovery_exhausted"
  | "ready";

/** Outcome of one recovery step. */
export interface UnauthorizedRecoveryStepResult {
  /** True when the credentials changed, so retrying the request makes sense. */
  readonly authStateChanged: boolean;
}

/** What a recovery needs from its manager (implemented by `AuthManager`). */
export interface RecoveryHost {
  cached(): CodexAuth | undefined;
  hasExternalAuth(): boolean;
  /** Adopts the stored auth if its account is `accountId`, else fails with `account_mismatch`. */
  reloadIfAccountIs(accountId: string | undefined): Promise<void>;
  /** Refreshes unless the cached auth already moved on from `seen` (single flight). */
  refreshFromAuthority(seen: AuthDotJson | undefined): Promise<void>;
  /** Asks the host for new tokens (single flight). */
  refreshExternal(seen: AuthDotJson | undefined): Promise<void>;
}

/**
 * Recovery from an HTTP 401, one per request: call {@link next} once per 401 while
 * {@link hasNext}. Managed: `reload` (adopt the stored auth if the account still matches) →
 * `refresh_token` → `done`. External: `external_refresh` → `done`.
 *
 * @example
 * ```ts
 * const recovery = manager.unauthorizedRecovery();
 * while (res.status === 401 && recovery.hasNext()) { await recovery.next(); res = await send(); }
 * ```
 */
export class UnauthorizedRecovery {
  /** `managed` or `external`. */
  readonly mode: UnauthorizedRecoveryMode;
  readonly #host: RecoveryHost;
  readonly #accountId: string | undefined;
  /** The credentials the failing request used: a refresh is skipped if they already changed. */
  #seen: AuthDotJson | undefined;
  #step: UnauthorizedRecoveryStep;

  constructor(host: RecoveryHost) {
    this.#host = host;
    const cached = host.cached();
    this.mode = cached?.isExternalChatgptTokens() ? "external" : "managed";
    this.#accountId = cached?.getAccountId();
    this.#seen = cached?.getCurrentAuthJson();
    this.#step = this.mode === "external" ? "external_refresh" : "reload";
  }

  /** `managed` | `external`. */
  modeName(): UnauthorizedRecoveryMode {
    return this.mode;
  }

  /** `reload` | `refresh_token` | `external_refresh` | `done`. */
  stepName(): UnauthorizedRecoveryStep {
    return this.#step;
  }

  /** Why no step is available, or `ready`. */
  unavailableReason(): UnauthorizedRecoveryUnavailableReason {
    const cached = this.#host.cached();
    if (!cached?.isChatgptAuth()) return "not_chatgpt_auth";
    if (this.mode === "external" && !this.#host.hasExternalAuth()) return "no_external_auth";
    if (this.#step === "done") return "recovery_exhausted";
    return "ready";
  }

  /** True while a step is available. */
  hasNext(): boolean {
    return this.unavailableReason() === "ready";
  }

  /**
   * Runs the next step.
   *
   * @throws {LoginError} `recovery_exhausted` (`No more recovery steps available.`),
   * `account_mismatch`, or the refresh failure of the step.
   */
  async next(): Promise<UnauthorizedRecoveryStepResult> {
    if (!this.hasNext()) {
      throw new LoginError("recovery_exhausted", "No more recovery steps available.");
    }
    switch (this.#step) {
      case "reload": {
        try {
          await this.#host.reloadIfAccountIs(this.#accountId);
          // Compared with the credentials the failing request used: if they moved on (another
          // caller or process refreshed), retrying with the new ones is the recovery.
          const current = this.#host.cached()?.getCurrentAuthJson();
          const changed = !authDotJsonEquals(current, this.#seen);
          if (changed) this.#seen = current;
          this.#step = "refresh_token";
          return { authStateChanged: changed };
        } catch (err) {
          this.#step = "done";
          throw err;
        }
      }
      case "refresh_token": {
        this.#step = "done";
        await this.#host.refreshFromAuthority(this.#seen);
        return { authStateChanged: true };
      }
      default: {
        this.#step = "done";
        await this.#host.refreshExternal(this.#seen);
        return { authStateChanged: true };
      }
    }
  }
}
