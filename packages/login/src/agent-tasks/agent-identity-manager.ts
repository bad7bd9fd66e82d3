import {
  type AgentBillOfMaterials,
  agentRegistrationUrl,
  agentTaskRegistrationUrl,
  buildAbom,
  decryptTaskIdResponse,
  generateAgentKeyMaterial,
  normalizeChatgptBaseUrl,
  type SessionSource,
  signTaskRegistrationPayload,
} from "@codex/agent-identity";
import type { HttpClient } from "@codex/http";
import { formatRfc3339Seconds, type Logger, silentLogger } from "@codex/wire";
import type { CodexAuth } from "../codex-auth.js";
import { LoginError } from "../errors.js";
import { createLoginHttpClient } from "../internal/login-http-client.js";
import {
  type AgentIdentityBinding,
  agentIdentityBindingFromAuth,
} from "./agent-identity-binding.js";
import {
  AGENT_IDENTITY_ERROR_CODE,
  AGENT_IDENTITY_TIMEOUT_MS,
  mintHumanBiscuit,
  registerAgent,
  registerAgentTask,
} from "./agent-identity-client.js";
import { loadStoredIdentity } from "./load-stored-identity.js";
import {
  agentIdentityKeyOf,
  type StoredAgentIdentity,
  storedAgentIdentityToRecord,
} from "./stored-agent-identity.js";

/** Options of {@link AgentIdentityManager}. */
export interface AgentIdentityManagerOptions {
  /** The current auth (usually `() => authManager.auth()`). */
  readonly auth: () => Promise<CodexAuth | undefined>;
  /** The forced workspace id (config `forced_chatgpt_workspace_id`), read on each call. */
  readonly forcedWorkspaceId?: (() => string | undefined) | undefined;
  /** ChatGPT base URL (config `chatgpt_base_url`); normalized like upstream. */
  readonly chatgptBaseUrl: string;
  /** Feature `use_agent_identity`. When false every call is a no-op returning `undefined`. */
  readonly enabled: boolean;
  /** Session source for the ABOM (default `cli`). */
  readonly sessionSource?: SessionSource | undefined;
  /** Explicit ABOM (default `buildAbom(sessionSource)`). */
  readonly abom?: AgentBillOfMaterials | undefined;
  /** HTTP client (default `createLoginHttpClient`: shared dispatcher, custom CA, proxies). */
  readonly http?: HttpClient | undefined;
  /** Deadline of each call in ms (default 15 s). */
  readonly timeoutMs?: number | undefined;
  /** Redacting logger (default silent). */
  readonly logger?: Logger | undefined;
  /** Clock for `registered_at` and task timestamps. */
  readonly now?: (() => Date) | undefined;
  /** Randomness for keys and request ids (tests). */
  readonly randomBytes?: ((n: number) => Uint8Array) | undefined;
  /**
   * Called after each write of the identity record (registration, task, removal of a stale
   * record), so the owner of the auth cache sees it (the `AuthManager` reloads).
   */
  readonly onSaved?: (() => Promise<unknown>) | undefined;
}

/** A registered agent task. */
export interface RegisteredAgentTask {
  readonly agentRuntimeId: string;
  readonly taskId: string;
  /**
   * When this process registered the task (RFC 3339 seconds with `Z`); undefined for a task read
   * from the store (0.169's record has no registration time).
   */
  readonly registeredAt: string | undefined;
}

/**
 * Registers and reuses the agent identity of the signed-in ChatGPT account (seed 002's
 * `AgentIdentityManager`, feature `use_agent_identity`): binding from the auth, human biscuit
 * minting, `POST /v1/agent/register`, task registration with a signed timestamp and a sealed
 * task id, all persisted in the auth's own store. One registration runs at a time; concurrent
 * callers for the same binding share it.
 *
 * @example
 * ```ts
 * const agents = new AgentIdentityManager({
 *   auth: () => authManager.auth(),
 *   chatgptBaseUrl: "https://chatgpt.com/backend-api",
 *   enabled: config.features.useAgentIdentity,
 * });
 * const identity = await agents.ensureRegisteredIdentity();
 * const task = await agents.ensureBackgroundTask();
 * ```
 */
export class AgentIdentityManager {
  readonly chatgptBaseUrl: string;
  readonly abom: AgentBillOfMaterials;
  readonly #options: AgentIdentityManagerOptions;
  readonly #http: HttpClient;
  readonly #logger: Logger;
  readonly #now: () => Date;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #inflight = new Map<string, Promise<StoredAgentIdentity>>();

  constructor(options: AgentIdentityManagerOptions) {
    if (typeof options.auth !== "function") {
      throw new LoginError(
        "invalid_argument",
        "auth must be a function returning the current auth",
      );
    }
    if (typeof options.chatgptBaseUrl !== "string" || options.chatgptBaseUrl.trim() === "") {
      throw new LoginError("invalid_argument", "chatgptBaseUrl must be a non-empty URL");
    }
    this.#options = options;
    this.chatgptBaseUrl = normalizeChatgptBaseUrl(options.chatgptBaseUrl);
    this.abom = options.abom ?? buildAbom(options.sessionSource ?? "cli");
    this.#logger = (options.logger ?? silentLogger).child({ component: "agent-identity" });
    this.#http =
      options.http ??
      createLoginHttpClient({ logger: this.#logger, errorCode: AGENT_IDENTITY_ERROR_CODE });
    this.#now = options.now ?? (() => new Date());
  }

  /** Whether `use_agent_identity` is on. */
  isEnabled(): boolean {
    return this.#options.enabled;
  }

  /** The current auth and its binding, or undefined (no auth, not ChatGPT, no account). */
  async currentAuthBinding(): Promise<
    { auth: CodexAuth; binding: AgentIdentityBinding } | undefined
  > {
    const auth = await this.#options.auth();
    if (auth === undefined) {
      this.#logger.debug("skipping agent identity flow because no auth is available");
      return undefined;
    }
    const binding = agentIdentityBindingFromAuth(auth, this.#options.forcedWorkspaceId?.());
    if (binding === undefined) {
      this.#logger.debug("skipping agent identity flow because ChatGPT auth is unavailable");
      return undefined;
    }
    return { auth, binding };
  }

  /**
   * Returns the registered identity, registering one when none is stored or the stored one is
   * stale. `undefined` when the feature is off or the auth is not ChatGPT.
   *
   * @throws {LoginError} when biscuit minting, registration or saving fails (status and URL in
   *   the message, never a token or key).
   */
  async ensureRegisteredIdentity(): Promise<StoredAgentIdentity | undefined> {
    if (!this.#options.enabled) return undefined;
    const current = await this.currentAuthBinding();
    if (current === undefined) return undefined;
    return this.ensureRegisteredIdentityFor(current.auth, current.binding);
  }

  /** {@link ensureRegisteredIdentity} for an explicit auth snapshot and binding. */
  ensureRegisteredIdentityFor(
    auth: CodexAuth,
    binding: AgentIdentityBinding,
  ): Promise<StoredAgentIdentity> {
    const shared = this.#inflight.get(binding.bindingId);
    if (shared !== undefined) return shared;
    const run = this.#exclusive(async () => {
      const stored = await this.#loadStored(auth, binding);
      if (stored !== undefined) {
        this.#logger.info("reusing stored agent identity", {
          agentRuntimeId: stored.agentRuntimeId,
          bindingId: binding.bindingId,
        });
        return stored;
      }
      const registered = await this.#registerIdentity(binding);
      await auth.setAgentIdentity(storedAgentIdentityToRecord(registered));
      await this.#options.onSaved?.();
      return registered;
    });
    this.#inflight.set(binding.bindingId, run);
    const clear = () => {
      if (this.#inflight.get(binding.bindingId) === run) this.#inflight.delete(binding.bindingId);
    };
    run.then(clear, clear);
    return run;
  }

  /**
   * Registers a new task for the current identity (registering the identity first if needed),
   * decrypts its id and stores it as the record's `task_id`.
   */
  async registerTask(): Promise<RegisteredAgentTask | undefined> {
    if (!this.#options.enabled) return undefined;
    const current = await this.currentAuthBinding();
    if (current === undefined) return undefined;
    return this.registerTaskFor(current.auth, current.binding);
  }

  /**
   * {@link registerTask} on one auth snapshot: the identity, the biscuit and the persisted task
   * id all come from `auth`, even if the manager's current auth changes meanwhile.
   */
  async registerTaskFor(
    auth: CodexAuth,
    binding: AgentIdentityBinding,
  ): Promise<RegisteredAgentTask> {
    const identity = await this.ensureRegisteredIdentityFor(auth, binding);
    const timestamp = formatRfc3339Seconds(this.#now());
    const signature = signTaskRegistrationPayload(agentIdentityKeyOf(identity), timestamp);
    const url = agentTaskRegistrationUrl(this.chatgptBaseUrl, identity.agentRuntimeId);
    const biscuit = await mintHumanBiscuit({
      ...this.#callOptions(),
      accessToken: binding.accessToken,
      targetMethod: "POST",
      targetUrl: url,
    });
    const encrypted = await registerAgentTask({
      ...this.#callOptions(),
      biscuit,
      agentRuntimeId: identity.agentRuntimeId,
      signature,
      timestamp,
    });
    let taskId: string;
    try {
      taskId = decryptTaskIdResponse(agentIdentityKeyOf(identity), encrypted);
    } catch (cause) {
      throw new LoginError(
        AGENT_IDENTITY_ERROR_CODE,
        `failed to decrypt the agent task id returned by ${url}`,
        { cause },
      );
    }
    const task: RegisteredAgentTask = {
      agentRuntimeId: identity.agentRuntimeId,
      taskId,
      registeredAt: formatRfc3339Seconds(this.#now()),
    };
    await auth.setAgentIdentity(
      storedAgentIdentityToRecord({ ...identity, backgroundTaskId: taskId }),
    );
    await this.#options.onSaved?.();
    this.#logger.info("registered agent task", { agentRuntimeId: task.agentRuntimeId });
    return task;
  }

  /**
   * The stored background task of the current identity, registering identity and task when
   * missing. `undefined` when the feature is off or the auth is not ChatGPT.
   */
  async ensureBackgroundTask(): Promise<RegisteredAgentTask | undefined> {
    if (!this.#options.enabled) return undefined;
    const current = await this.currentAuthBinding();
    if (current === undefined) return undefined;
    const identity = await this.ensureRegisteredIdentityFor(current.auth, current.binding);
    if (identity.backgroundTaskId !== undefined) {
      return {
        agentRuntimeId: identity.agentRuntimeId,
        taskId: identity.backgroundTaskId,
        registeredAt: undefined,
      };
    }
    return this.registerTaskFor(current.auth, current.binding);
  }

  /**
   * Best-effort startup prewarm (upstream `maybe_prewarm_agent_task_registration`): like
   * {@link ensureBackgroundTask}, but a failure is logged at debug level and gives `undefined`
   * instead of an error, so startup never reports it.
   */
  async prewarmBackgroundTask(): Promise<RegisteredAgentTask | undefined> {
    try {
      return await this.ensureBackgroundTask();
    } catch (err) {
      this.#logger.debug("agent task prewarm failed", {
        error: err instanceof Error ? err.message : "unknown error",
      });
      return undefined;
    }
  }

  /** True when `task` belongs to the identity currently stored for the current auth. */
  async taskMatchesCurrentIdentity(task: RegisteredAgentTask): Promise<boolean> {
    if (!this.#options.enabled) return false;
    const current = await this.currentAuthBinding();
    if (current === undefined) return false;
    try {
      const stored = await loadStoredIdentity(current.auth, current.binding, this.#logger);
      return stored !== undefined && stored.agentRuntimeId === task.agentRuntimeId;
    } catch {
      return false;
    }
  }

  /** {@link loadStoredIdentity}, telling the owner when a stale record was removed. */
  async #loadStored(
    auth: CodexAuth,
    binding: AgentIdentityBinding,
  ): Promise<StoredAgentIdentity | undefined> {
    const had = auth.getCurrentAuthJson()?.agentIdentity !== undefined;
    const stored = await loadStoredIdentity(auth, binding, this.#logger);
    if (had && stored === undefined) await this.#options.onSaved?.();
    return stored;
  }

  #callOptions() {
    return {
      http: this.#http,
      chatgptBaseUrl: this.chatgptBaseUrl,
      timeoutMs: this.#options.timeoutMs ?? AGENT_IDENTITY_TIMEOUT_MS,
      randomBytes: this.#options.randomBytes,
    };
  }

  async #registerIdentity(binding: AgentIdentityBinding): Promise<StoredAgentIdentity> {
    const keys = generateAgentKeyMaterial(
      this.#options.randomBytes ? { randomBytes: this.#options.randomBytes } : {},
    );
    const url = agentRegistrationUrl(this.chatgptBaseUrl);
    const biscuit = await mintHumanBiscuit({
      ...this.#callOptions(),
      accessToken: binding.accessToken,
      targetMethod: "POST",
      targetUrl: url,
    });
    const agentRuntimeId = await registerAgent({
      ...this.#callOptions(),
      biscuit,
      abom: this.abom,
      agentPublicKey: keys.publicKeySsh,
    });
    this.#logger.info("registered agent identity", {
      agentRuntimeId,
      bindingId: binding.bindingId,
    });
    return {
      bindingId: binding.bindingId,
      chatgptAccountId: binding.chatgptAccountId,
      chatgptUserId: binding.chatgptUserId,
      agentRuntimeId,
      privateKey: keys.privateKeyPkcs8Base64,
      publicKeySsh: keys.publicKeySsh,
      email: binding.email,
      planType: binding.planType,
      chatgptAccountIsFedramp: binding.chatgptAccountIsFedramp,
      backgroundTaskId: undefined,
    };
  }

  /** Runs `fn` after every earlier exclusive section (a one-permit semaphore). */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => {});
    return run;
  }
}

/**
 * The user-facing error of a failed identity registration (upstream core event text).
 *
 * @example
 * ```ts
 * agentIdentityRegistrationFailureMessage(err);
 * // "Agent identity registration failed while `features.use_agent_identity` is enabled: …"
 * ```
 */
export function agentIdentityRegistrationFailureMessage(error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  return `Agent identity registration failed while \`features.use_agent_identity\` is enabled: ${detail}`;
}

/** The user-facing error of a failed task registration (upstream core event text). */
export function agentTaskRegistrationFailureMessage(error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  return `Agent task registration failed. Please try again; Codex will attempt to register the task again on the next turn: ${detail}`;
}
