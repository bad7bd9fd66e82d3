/**
 * The credential locks of one Codex home, as the file, keyring and auto stores take them: upstream
 * codex 0.169's `flock` on `auth.lock`, then on `auth.json.lock` beside the resolved auth.json
 * (`../internal/auth-locks.ts`), with this store's wait bound and wait report.
 */
import type { Logger } from "@codex/wire";
import { LoginError } from "../errors.js";
import {
  type AuthCommitTarget,
  type AuthLockOptions,
  withAuthCommit,
  withAuthLock,
} from "../internal/auth-locks.js";
import type { AuthStorageLockScope, CredentialLockOptions } from "./auth-storage.js";

/** The locks of `codexHome` with the given wait options. */
export class HomeLocks {
  readonly #options: AuthLockOptions;

  constructor(codexHome: string, locks: CredentialLockOptions = {}, logger?: Logger) {
    const timeoutMs = locks.timeoutMs;
    if (timeoutMs !== undefined && (typeof timeoutMs !== "number" || !(timeoutMs >= 0))) {
      throw new LoginError(
        "invalid_argument",
        "the credential lock timeoutMs must be a number >= 0",
      );
    }
    if (locks.onWait !== undefined && typeof locks.onWait !== "function") {
      throw new LoginError("invalid_argument", "the credential lock onWait must be a function");
    }
    const onWait = locks.onWait;
    this.#options = {
      codexHome,
      authLockTimeoutMs: timeoutMs,
      logger,
      onWait:
        onWait === undefined
          ? undefined
          : (event) => {
              try {
                onWait(event);
              } catch (err) {
                logger?.warn(`credential lock wait listener failed: ${(err as Error).message}`);
              }
            },
    };
  }

  /** Holds `auth.lock` around `fn`; `scope.commit` adds `auth.json.lock`. */
  withLock<T>(fn: (scope: AuthStorageLockScope) => Promise<T>): Promise<T> {
    return withAuthLock(this.#options, (scope) =>
      fn({ commit: (commitFn) => scope.commit(() => commitFn()) }),
    );
  }

  /** A commit (both locks, or the ones this call chain already holds): save, delete. */
  commit<T>(fn: (target: AuthCommitTarget) => Promise<T>): Promise<T> {
    return withAuthCommit(this.#options, fn);
  }
}
