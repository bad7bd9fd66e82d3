import { Secret } from "@codex/wire";
import type { AuthRecovery, ModelAuth, RequestAuth } from "./model-auth.js";

/** What the adapter reads of a login's auth (`CodexAuth` of `@codex/login` has this shape). */
export interface LoginCredentials {
  isChatgptAuth(): boolean;
  /** The API key or ChatGPT access token. */
  getToken(): Secret;
  getAccountId(): string | undefined;
  isFedrampAccount(): boolean;
}

/**
 * What the adapter needs of a login manager (`AuthManager` of `@codex/login` has this shape):
 * the current auth (refreshed when due), the ChatGPT request headers (Bearer or AgentAssertion)
 * and a 401 recovery.
 */
export interface LoginAuthSource {
  auth(): Promise<LoginCredentials | undefined>;
  chatgptRequestAuthHeaders(auth?: LoginCredentials): Promise<Record<string, string>>;
  unauthorizedRecovery(): AuthRecovery;
}

/**
 * Adapts a login manager to {@link ModelAuth}: ChatGPT logins send the manager's
 * `authorization` value (a Bearer token, or an `AgentAssertion` when agent identity is on) with
 * the account id and FedRAMP flag; API keys send `Bearer <key>`; a 401 runs the manager's
 * recovery.
 *
 * @example
 * ```ts
 * const manager = await AuthManager.create({ codexHome });
 * const client = new ModelClient({ ..., auth: modelAuthFromLogin(manager) });
 * ```
 */
export function modelAuthFromLogin(manager: LoginAuthSource): ModelAuth {
  return {
    async requestAuth(): Promise<RequestAuth | undefined> {
      const auth = await manager.auth();
      if (auth === undefined) return undefined;
      if (!auth.isChatgptAuth()) {
        const key = auth.getToken().reveal();
        return key === ""
          ? undefined
          : { mode: "api_key", authorization: new Secret(`Bearer ${key}`) };
      }
      const headers = await manager.chatgptRequestAuthHeaders(auth);
      const authorization = headers.authorization;
      if (authorization === undefined || authorization === "") return undefined;
      const accountId = auth.getAccountId();
      return {
        mode: "chatgpt",
        authorization: new Secret(authorization),
        ...(accountId === undefined ? {} : { accountId }),
        ...(auth.isFedrampAccount() ? { fedramp: true } : {}),
      };
    },
    unauthorizedRecovery: () => manager.unauthorizedRecovery(),
  };
}
