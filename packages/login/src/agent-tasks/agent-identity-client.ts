import {
  type AgentBillOfMaterials,
  agentBillOfMaterialsToJson,
  agentIdentityBiscuitUrl,
  agentIdentityRequestId,
  agentRegistrationUrl,
  agentTaskRegistrationUrl,
} from "@codex/agent-identity";
import { type HttpClient, HttpError } from "@codex/http";
import { redactText, redactUrl, Secret } from "@codex/wire";
import { LoginError, type LoginErrorCode } from "../errors.js";
import { scrubEchoedSecrets } from "../internal/response-detail.js";

/** Deadline of each agent-identity call (upstream: 15 s). */
export const AGENT_IDENTITY_TIMEOUT_MS = 15_000;

/** The `LoginError` code of every agent-identity failure: `agent_identity_failed`. */
export const AGENT_IDENTITY_ERROR_CODE = "agent_identity_failed" satisfies LoginErrorCode;

const MAX_BODY_DETAIL = 300;

/** A one-line, bounded, redacted body, with the request's own secrets scrubbed if echoed. */
function detail(body: string, ownSecrets: readonly Secret[]): string {
  const one = scrubEchoedSecrets(body, ownSecrets).replace(/\s+/g, " ").trim();
  const cut = one.length > MAX_BODY_DETAIL ? `${one.slice(0, MAX_BODY_DETAIL)}…` : one;
  return redactText(cut);
}

function failure(message: string, options: { status?: number; cause?: unknown } = {}): LoginError {
  return new LoginError(AGENT_IDENTITY_ERROR_CODE, message, options);
}

/** Options shared by the agent-identity calls. */
export interface AgentIdentityCallOptions {
  readonly http: HttpClient;
  /** Normalized ChatGPT base URL (`normalizeChatgptBaseUrl`). */
  readonly chatgptBaseUrl: string;
  readonly timeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Randomness of the `X-Request-Id` (tests). */
  readonly randomBytes?: ((n: number) => Uint8Array) | undefined;
}

async function send(
  options: AgentIdentityCallOptions,
  what: string,
  init: {
    method: "GET" | "POST";
    url: string;
    headers: Record<string, string>;
    json?: unknown;
  },
): Promise<{ status: number; ok: boolean; headers: Headers; body: string }> {
  try {
    return await options.http.requestText({
      ...init,
      timeoutMs: options.timeoutMs ?? AGENT_IDENTITY_TIMEOUT_MS,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (cause) {
    const why = HttpError.is(cause) ? cause.code : "network error";
    throw failure(`failed to send ${what} request to ${redactUrl(init.url)} (${why})`, { cause });
  }
}

/**
 * Mints a human biscuit: `GET {base}/authenticate_app_v2` with the ChatGPT bearer token,
 * `X-Request-Id`, `X-Original-Method` and `X-Original-Url` (the URL about to be called). The
 * biscuit is the `x-openai-authorization` response header.
 *
 * @throws {LoginError} `agent identity biscuit minting failed with status {status} from {url}: {body}`.
 */
export async function mintHumanBiscuit(
  options: AgentIdentityCallOptions & {
    readonly accessToken: Secret;
    readonly targetMethod: string;
    readonly targetUrl: string;
  },
): Promise<Secret> {
  const url = agentIdentityBiscuitUrl(options.chatgptBaseUrl);
  const requestId = agentIdentityRequestId(
    options.randomBytes ? { randomBytes: options.randomBytes } : {},
  );
  const res = await send(options, "agent identity biscuit", {
    method: "GET",
    url,
    headers: {
      authorization: `Bearer ${options.accessToken.reveal()}`,
      "x-request-id": requestId,
      "x-original-method": options.targetMethod,
      "x-original-url": options.targetUrl,
    },
  });
  if (!res.ok) {
    throw failure(
      `agent identity biscuit minting failed with status ${res.status} from ${redactUrl(url)}: ${detail(res.body, [options.accessToken])}`,
      { status: res.status },
    );
  }
  const biscuit = res.headers.get("x-openai-authorization");
  if (biscuit === null || biscuit === "") {
    throw failure("agent identity biscuit response did not include x-openai-authorization", {
      status: res.status,
    });
  }
  return new Secret(biscuit);
}

function parseJsonObject(body: string, what: string, url: string, status: number) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw failure(`failed to parse ${what} response from ${redactUrl(url)}`, { status });
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw failure(`failed to parse ${what} response from ${redactUrl(url)}`, { status });
  }
  return parsed as Record<string, unknown>;
}

/**
 * Registers an agent: `POST {base}/v1/agent/register` with `X-OpenAI-Authorization: {biscuit}`
 * and `{abom, agent_public_key, capabilities: []}`. Returns `agent_runtime_id`.
 *
 * @throws {LoginError} `agent identity registration failed with status {status} from {url}: {body}`.
 */
export async function registerAgent(
  options: AgentIdentityCallOptions & {
    readonly biscuit: Secret;
    readonly abom: AgentBillOfMaterials;
    readonly agentPublicKey: string;
  },
): Promise<string> {
  const url = agentRegistrationUrl(options.chatgptBaseUrl);
  const res = await send(options, "agent identity registration", {
    method: "POST",
    url,
    headers: { "x-openai-authorization": options.biscuit.reveal() },
    json: {
      abom: agentBillOfMaterialsToJson(options.abom),
      agent_public_key: options.agentPublicKey,
      capabilities: [],
    },
  });
  if (!res.ok) {
    throw failure(
      `agent identity registration failed with status ${res.status} from ${redactUrl(url)}: ${detail(res.body, [options.biscuit])}`,
      { status: res.status },
    );
  }
  const body = parseJsonObject(res.body, "agent identity", url, res.status);
  const id = body.agent_runtime_id;
  if (typeof id !== "string" || id === "") {
    throw failure(`agent identity response from ${redactUrl(url)} lacks agent_runtime_id`, {
      status: res.status,
    });
  }
  return id;
}

/**
 * Registers a task: `POST {base}/v1/agent/{runtime}/task/register` with a fresh biscuit and
 * `{signature, timestamp}`. Returns `encrypted_task_id` (still sealed).
 *
 * @throws {LoginError} `agent task registration failed with status {status} from {url}: {body}`.
 */
export async function registerAgentTask(
  options: AgentIdentityCallOptions & {
    readonly biscuit: Secret;
    readonly agentRuntimeId: string;
    readonly signature: string;
    readonly timestamp: string;
  },
): Promise<string> {
  const url = agentTaskRegistrationUrl(options.chatgptBaseUrl, options.agentRuntimeId);
  const res = await send(options, "agent task registration", {
    method: "POST",
    url,
    headers: { "x-openai-authorization": options.biscuit.reveal() },
    json: { signature: options.signature, timestamp: options.timestamp },
  });
  if (!res.ok) {
    throw failure(
      `agent task registration failed with status ${res.status} from ${redactUrl(url)}: ${detail(res.body, [options.biscuit])}`,
      { status: res.status },
    );
  }
  const body = parseJsonObject(res.body, "agent task", url, res.status);
  const enc = body.encrypted_task_id;
  if (typeof enc !== "string" || enc === "") {
    throw failure(`agent task response from ${redactUrl(url)} lacks encrypted_task_id`, {
      status: res.status,
    });
  }
  return enc;
}
