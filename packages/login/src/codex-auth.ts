import { inspect } from "node:util";
import { Secret } from "@codex/wire";
import {
  type AgentIdentityRecord,
  type AuthDotJson,
  type AuthMode,
  authDotJsonEquals,
  resolvedAuthMode,
  type TokenData,
} from "./auth-dot-json.js";
import { LoginError } from "./errors.js";
import { type PlanType, planTypeFromClaim } from "./plan-type.js";
import type { AuthStorage } from "./storage/auth-storage.js";
import { REFRESH_FAILURE_MESSAGES } from "./token-endpoint.js";

const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/**
 * Resolved credentials: an API key (`apikey`), managed ChatGPT tokens that Codex persists and
 * refreshes (`chatgpt`), host-owned ChatGPT tokens kept in memory only (`chatgptAuthTokens`), or
 * an agent identity record as the credential (`agentIdentity`, upstream 0.169: no tokens, never
 * refreshed; requests carry its `AgentAssertion` once it has a task).
 * Secret values are {@link Secret}s: printing, JSON-encoding or inspecting a `CodexAuth` never
 * shows them.
 *
 * @example
 * ```ts
 * const auth = await manager.auth();
 * if (auth) headers.authorization = `Bearer ${auth.getToken().reveal()}`;
 * ```
 */
export class CodexAuth {
  /** The mode (`apikey`, `chatgpt`, `chatgptAuthTokens`, `agentIdentity`). */
  readonly apiAuthMode: AuthMode;
  /** The store this auth was loaded from and is saved back to. */
  readonly storage: AuthStorage | undefined;
  readonly #apiKey: Secret | undefined;
  #authDotJson: AuthDotJson | undefined;

  private constructor(
    mode: AuthMode,
    apiKey: Secret | undefined,
    authDotJson: AuthDotJson | undefined,
    storage: AuthStorage | undefined,
  ) {
    this.apiAuthMode = mode;
    this.#apiKey = apiKey;
    this.#authDotJson = authDotJson;
    this.storage = storage;
  }

  /**
   * Builds the auth a stored {@link AuthDotJson} resolves to.
   *
   * @throws {LoginError} code `api_key_missing` (`API key auth is missing a key.`).
   */
  static fromAuthDotJson(auth: AuthDotJson, storage: AuthStorage | undefined): CodexAuth {
    const mode = resolvedAuthMode(auth);
    if (mode === "apikey") {
      if (auth.openaiApiKey === null) {
        throw new LoginError("api_key_missing", "API key auth is missing a key.");
      }
      return new CodexAuth("apikey", auth.openaiApiKey, auth, storage);
    }
    return new CodexAuth(mode, undefined, auth, storage);
  }

  /**
   * An API-key auth that is not backed by any store (for example from `CODEX_API_KEY`).
   *
   * @throws {LoginError} code `invalid_argument` for an empty key.
   */
  static fromApiKey(apiKey: string | Secret): CodexAuth {
    const key = typeof apiKey === "string" ? new Secret(apiKey) : apiKey;
    if (!Secret.is(key) || key.isEmpty) {
      throw new LoginError("invalid_argument", "API key must be a non-empty string");
    }
    return new CodexAuth("apikey", key, undefined, undefined);
  }

  /**
   * `apikey` or `chatgpt` (host tokens and agent identities fold into `chatgpt`, like upstream
   * `auth_mode()`).
   */
  get authMode(): "apikey" | "chatgpt" {
    return this.apiAuthMode === "apikey" ? "apikey" : "chatgpt";
  }

  /** True for `chatgpt`, `chatgptAuthTokens` and `agentIdentity` (a ChatGPT account's agent). */
  isChatgptAuth(): boolean {
    return this.apiAuthMode !== "apikey";
  }

  /** True for host-owned tokens (`chatgptAuthTokens`). */
  isExternalChatgptTokens(): boolean {
    return this.apiAuthMode === "chatgptAuthTokens";
  }

  /** The API key of an `apikey` auth. */
  get apiKey(): Secret | undefined {
    return this.#apiKey;
  }

  /**
   * The bearer token: the API key, or the ChatGPT access token.
   *
   * @throws {LoginError} code `token_data_unavailable` when ChatGPT tokens are missing.
   */
  getToken(): Secret {
    if (this.#apiKey) return this.#apiKey;
    const tokens = this.#authDotJson?.tokens;
    if (!tokens) throw new LoginError("token_data_unavailable", "Token data is not available.");
    return tokens.accessToken;
  }

  /**
   * The token data; needs `tokens` and `last_refresh`.
   *
   * @throws {LoginError} code `token_data_unavailable` (`Token data is not available.`).
   */
  getTokenData(): TokenData {
    const auth = this.#authDotJson;
    if (!auth?.tokens || auth.lastRefresh === undefined) {
      throw new LoginError("token_data_unavailable", "Token data is not available.");
    }
    return auth.tokens;
  }

  /** The stored auth this value wraps (undefined for an env API key). */
  getCurrentAuthJson(): AuthDotJson | undefined {
    return this.#authDotJson;
  }

  /** The `agent_identity` record that is the credential of `auth_mode: "agentIdentity"`. */
  #identityCredential(): AgentIdentityRecord | undefined {
    return this.apiAuthMode === "agentIdentity" ? this.#authDotJson?.agentIdentity : undefined;
  }

  /** `tokens.account_id` (not the id-token claim); the record's `account_id` in agentIdentity mode. */
  getAccountId(): string | undefined {
    return this.#authDotJson?.tokens?.accountId ?? this.#identityCredential()?.accountId;
  }

  /** Email from the id token (the record's in agentIdentity mode). */
  getAccountEmail(): string | undefined {
    return this.#authDotJson?.tokens?.idToken.email ?? this.#identityCredential()?.email;
  }

  /** `chatgpt_user_id` from the id token (the record's in agentIdentity mode). */
  getChatgptUserId(): string | undefined {
    const fromToken = this.#authDotJson?.tokens?.idToken.chatgptUserId;
    const user = fromToken ?? this.#identityCredential()?.chatgptUserId;
    return user === "" ? undefined : user;
  }

  /** `chatgpt_account_id` claim of the id token (what workspace restrictions compare). */
  getChatgptAccountIdClaim(): string | undefined {
    return this.#authDotJson?.tokens?.idToken.chatgptAccountId;
  }

  /**
   * The plan: the id-token claim (the record's `plan_type` in agentIdentity mode),
   * `{ unknown: "unknown" }` without one; undefined for API keys.
   */
  accountPlanType(): PlanType | undefined {
    if (!this.isChatgptAuth()) return undefined;
    const record = this.#identityCredential();
    if (record !== undefined && this.#authDotJson?.tokens === undefined) {
      return planTypeFromClaim(record.planType);
    }
    return this.#authDotJson?.tokens?.idToken.chatgptPlanType ?? { unknown: "unknown" };
  }

  /** True when the id token (the record in agentIdentity mode) marks the account as FedRAMP. */
  isFedrampAccount(): boolean {
    return (
      this.#authDotJson?.tokens?.idToken.chatgptAccountIsFedramp ??
      this.#identityCredential()?.chatgptAccountIsFedramp ??
      false
    );
  }

  /** The stored agent identity, only when it belongs to `workspaceId`. */
  getAgentIdentity(workspaceId: string): AgentIdentityRecord | undefined {
    const record = this.#authDotJson?.agentIdentity;
    return record && record.accountId === workspaceId ? record : undefined;
  }

  /**
   * Stores an agent identity and saves it to this auth's store. The stored `task_id` is kept
   * when the new record has none and account and runtime match. The record is patched
   * into what the store holds now (tokens another process rotated are kept).
   *
   * @throws {LoginError} code `token_data_unavailable` for an auth without a stored record or when
   *   the store was logged out meanwhile; `account_mismatch` when it now holds another account.
   */
  async setAgentIdentity(record: AgentIdentityRecord): Promise<void> {
    await this.#updateStored((stored) => {
      const previous = stored.agentIdentity;
      let next = record;
      if (
        record.taskId === undefined &&
        previous?.taskId !== undefined &&
        previous.accountId === record.accountId &&
        previous.agentRuntimeId === record.agentRuntimeId
      ) {
        next = { ...record, taskId: previous.taskId };
      }
      return { ...stored, agentIdentity: next };
    });
  }

  /** Removes the agent identity and saves (no-op for API keys). */
  async removeAgentIdentity(): Promise<void> {
    if (this.apiAuthMode === "apikey") return;
    const judged = this.#requireStored().agentIdentity;
    if (judged === undefined) return;
    await this.#updateStored((stored) => {
      // only the record this snapshot holds is removed: one another process stored since stays
      const current = stored.agentIdentity;
      if (
        current === undefined ||
        current.agentRuntimeId !== judged.agentRuntimeId ||
        current.accountId !== judged.accountId
      ) {
        return undefined;
      }
      const { agentIdentity: _dropped, ...rest } = stored;
      return rest;
    });
  }

  /** Upstream equality: same `apiAuthMode`. */
  equals(other: CodexAuth | undefined): boolean {
    return other !== undefined && other.apiAuthMode === this.apiAuthMode;
  }

  /** True when both wrap the same stored bytes (and the same key). */
  sameCredentials(other: CodexAuth | undefined): boolean {
    if (!other || other.apiAuthMode !== this.apiAuthMode) return false;
    if (this.#apiKey || other.#apiKey) {
      if (!this.#apiKey || !other.#apiKey || !this.#apiKey.equals(other.#apiKey)) return false;
    }
    return authDotJsonEquals(this.#authDotJson, other.#authDotJson);
  }

  #requireStored(): AuthDotJson {
    if (!this.#authDotJson || !this.storage) {
      throw new LoginError("token_data_unavailable", "Token data is not available.");
    }
    return this.#authDotJson;
  }

  /**
   * Read-modify-write of the stored credentials as one commit under the store's credential locks
   * (`auth.lock` + `auth.json.lock`, like a refresh's commit): the patch applies to
   * what the store holds NOW, so tokens another process rotated since this snapshot was loaded
   * are kept, never reverted to this snapshot's spent ones. Refused when the store no longer
   * holds this login (logged out: `token_data_unavailable`; another account or mode:
   * `account_mismatch`), so a logout is never undone. The snapshot then adopts what the store
   * holds (written, or left as it was when `patch` returns `undefined`).
   */
  async #updateStored(patch: (stored: AuthDotJson) => AuthDotJson | undefined): Promise<void> {
    const snapshot = this.#requireStored();
    const storage = this.storage as AuthStorage;
    // a refresh or login in another process cannot land between this load and save
    const update = async (): Promise<void> => {
      const stored = await storage.load();
      if (stored === undefined) {
        throw new LoginError("token_data_unavailable", "Token data is not available.");
      }
      if (
        stored.authMode !== snapshot.authMode ||
        (stored.tokens?.accountId ?? null) !== (snapshot.tokens?.accountId ?? null)
      ) {
        throw new LoginError("account_mismatch", REFRESH_FAILURE_MESSAGES.account_mismatch);
      }
      const next = patch(stored);
      if (next !== undefined) await storage.save(next);
      this.#authDotJson = next ?? stored;
    };
    if (storage.withLock === undefined) await update();
    else await storage.withLock((scope) => scope.commit(update));
  }

  /** A redacted description (mode and non-secret metadata only). */
  toJSON(): Record<string, unknown> {
    return {
      mode: this.apiAuthMode,
      accountId: this.getAccountId() ?? null,
      email: this.getAccountEmail() ?? null,
    };
  }

  toString(): string {
    return `CodexAuth(${this.apiAuthMode})`;
  }

  [inspectSymbol](): string {
    return `CodexAuth ${inspect(this.toJSON())}`;
  }
}
