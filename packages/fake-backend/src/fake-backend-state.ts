/** Which endpoint a request reached. */
export type EndpointName =
  | "oauth.authorize"
  | "oauth.token"
  | "oauth.revoke"
  | "deviceauth.usercode"
  | "deviceauth.token"
  | "deviceauth.page"
  | "authenticate_app_v2"
  | "agent.register"
  | "agent.task.register"
  | "codex.responses"
  | "codex.responses.compact"
  | "openai.responses"
  | "openai.responses.compact"
  | "codex.models"
  | "codex.analytics_events"
  | "plugins.installed"
  | "plugins.suggested"
  | "apps.mcp"
  | "accounts.check"
  | "wham.usage"
  | "settings.user"
  | "not_found";

/** The scheme of the `Authorization` header a request carried. */
export type AuthScheme = "bearer" | "agent-assertion" | "none" | "other";

/** Why a Bearer token was refused. */
export type BearerFailure = "unknown" | "expired" | "revoked";

/** Why an `AgentAssertion` did not verify. */
export type AssertionFailure =
  | "malformed"
  | "unknown_agent"
  | "bad_signature"
  | "unknown_task"
  | "task_of_other_agent"
  | "clock_skew";

/** The outcome of checking a Bearer token. */
export interface BearerCheck {
  /** `access_token` = minted by this issuer; `api_key` = an accepted `/v1` key. */
  readonly kind: "access_token" | "api_key" | "unknown";
  readonly valid: boolean;
  readonly failure?: BearerFailure;
  /** The account of a known access token. */
  readonly accountId?: string;
}

/** The outcome of checking an `AgentAssertion` against the registered key and tasks. */
export interface AssertionCheck {
  readonly verified: boolean;
  readonly failure?: AssertionFailure;
  readonly agentRuntimeId?: string;
  readonly taskId?: string;
  readonly timestamp?: string;
  /** `now - timestamp` in seconds, when the timestamp parsed. */
  readonly skewSeconds?: number;
}

/** What the backend saw and decided for one HTTP request or WebSocket handshake. */
export interface RequestRecord {
  /** 1, 2, 3, ... in arrival order. */
  readonly id: number;
  /** Backend clock at arrival, epoch ms. */
  readonly at: number;
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  readonly endpoint: EndpointName;
  readonly transport: "http" | "websocket";
  /** Every request header, lower-cased names, repeated values joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The Codex-specific headers: `originator`, `version`, `user-agent`, `session-id`,
   * `thread-id`, `x-client-request-id`, `openai-beta`, and every `x-codex-*`, `x-openai-*`,
   * `x-oai-*`, `x-responsesapi-*`, `chatgpt-account-id` header.
   */
  readonly codexHeaders: Readonly<Record<string, string>>;
  readonly authScheme: AuthScheme;
  readonly bearer?: BearerCheck;
  readonly assertion?: AssertionCheck;
  /** `ChatGPT-Account-ID`, when sent. */
  readonly chatgptAccountId: string | undefined;
  /** `x-oai-attestation`, when sent. */
  readonly attestation: string | undefined;
  /** The parsed JSON (or form) body, when there was one and it parsed. */
  body: unknown;
  /** The status answered (101 for an accepted WebSocket upgrade; 0 while undecided). */
  status: number;
  /** Bodies of the WebSocket messages received on this connection, in order. */
  readonly websocketMessages: unknown[];
}

/** An agent registered through `/v1/agent/register`. */
export interface RegisteredAgent {
  readonly agentRuntimeId: string;
  /** `ssh-ed25519 AAAA...` as sent by the client. */
  readonly publicKeySsh: string;
  /** The raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  readonly abom: unknown;
  readonly capabilities: unknown;
  readonly chatgptAccountId: string;
  readonly chatgptUserId: string;
  readonly registeredAt: number;
}

/** A task registered through `/v1/agent/{id}/task/register`. */
export interface RegisteredTask {
  readonly taskId: string;
  readonly agentRuntimeId: string;
  /** The signed timestamp the client sent. */
  readonly timestamp: string;
  readonly registeredAt: number;
}

/** A token revoked through `/oauth/revoke`. */
export interface RevocationRecord {
  readonly at: number;
  readonly tokenTypeHint: string | undefined;
  readonly clientId: string | undefined;
  /** Which kind of known token it was (`unknown` tokens are accepted and ignored). */
  readonly matched: "refresh_token" | "access_token" | "unknown";
}

/** One `/oauth/token` call. */
export interface TokenGrantRecord {
  readonly at: number;
  readonly grantType: string;
  /** `ok`, or the error code answered (`invalid_grant`, `refresh_token_reused`, ...). */
  readonly outcome: string;
}

/** Default of `FakeBackendOptions.maxRecordedRequests`. */
export const DEFAULT_MAX_RECORDED_REQUESTS = 10_000;

/**
 * Everything the backend observed, for assertions in tests. Arrays grow in arrival order up to
 * `maxRecords` entries each (then the oldest entry is dropped and counted in `droppedRecords`);
 * `clear()` empties the records (not the registered agents or tokens).
 */
export class FakeBackendState {
  /** Most entries kept in `requests`, `revocations`, `tokenGrants` and each record's `websocketMessages`. */
  readonly maxRecords: number;
  /** Entries dropped (oldest first) because a list was full. */
  droppedRecords = 0;

  /** One record per HTTP request or WebSocket handshake. */
  readonly requests: RequestRecord[] = [];
  /** Registered agents by runtime id. */
  readonly agents = new Map<string, RegisteredAgent>();
  /** Registered tasks by task id. */
  readonly tasks = new Map<string, RegisteredTask>();
  /** Revocation calls. */
  readonly revocations: RevocationRecord[] = [];
  /** Token endpoint calls. */
  readonly tokenGrants: TokenGrantRecord[] = [];

  /**
   * The records of one endpoint.
   *
   * @example
   * ```ts
   * backend.state.requestsTo("codex.responses").at(-1)?.assertion?.verified;
   * ```
   */
  requestsTo(endpoint: EndpointName): RequestRecord[] {
    return this.requests.filter((record) => record.endpoint === endpoint);
  }

  /** The last record, optionally of one endpoint. */
  lastRequest(endpoint?: EndpointName): RequestRecord | undefined {
    for (let i = this.requests.length - 1; i >= 0; i--) {
      const record = this.requests[i]!;
      if (endpoint === undefined || record.endpoint === endpoint) return record;
    }
    return undefined;
  }

  /** @param maxRecords most entries kept per list (default {@link DEFAULT_MAX_RECORDED_REQUESTS}). */
  constructor(maxRecords: number = DEFAULT_MAX_RECORDED_REQUESTS) {
    this.maxRecords = maxRecords;
  }

  /** Appends `entry` to one of this state's lists, dropping the oldest entry when it is full. */
  append<T>(list: T[], entry: T): void {
    list.push(entry);
    while (list.length > this.maxRecords) {
      list.shift();
      this.droppedRecords++;
    }
  }

  /** Empties the request, revocation and grant records. */
  clear(): void {
    this.requests.length = 0;
    this.revocations.length = 0;
    this.tokenGrants.length = 0;
  }
}
