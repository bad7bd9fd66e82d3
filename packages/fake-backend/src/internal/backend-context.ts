import type { IncomingMessage } from "node:http";
import type { ResolvedOptions } from "../fake-backend-options.js";
import type { EndpointName, FakeBackendState, RequestRecord } from "../fake-backend-state.js";
import type { ResponseScript } from "../response-script.js";
import type { AgentCrypto } from "./agent-crypto.js";
import type { IssuerStore } from "./issuer-store.js";

/** Scripts queued by tests, split by who consumes them. */
export interface ScriptQueues {
  readonly responses: Exclude<ResponseScript, { kind: "websocket_handshake" }>[];
  readonly handshakes: Extract<ResponseScript, { kind: "websocket_handshake" }>[];
}

/** A biscuit minted by `/authenticate_app_v2`, single use. */
export interface Biscuit {
  readonly accountId: string;
  readonly userId: string;
  readonly originalMethod: string | undefined;
  readonly originalUrl: string | undefined;
}

/** Everything a route handler needs. */
export interface BackendContext {
  readonly options: ResolvedOptions;
  readonly state: FakeBackendState;
  readonly issuer: IssuerStore;
  readonly crypto: AgentCrypto;
  readonly queues: ScriptQueues;
  readonly biscuits: Map<string, Biscuit>;
  /** `http://127.0.0.1:{port}`, set once listening. */
  baseUrl: string;
  counters: { request: number; response: number; item: number; turnState: number };
  /** Output items of completed responses, by response id (for `previous_response_id`). */
  readonly responses: Map<string, readonly Record<string, unknown>[]>;
  /** Open sockets stalled by a script, released on close. */
  readonly stalls: Set<() => void>;
}

const CODEX_HEADER_NAMES = new Set([
  "originator",
  "version",
  "user-agent",
  "session-id",
  "thread-id",
  "session_id",
  "thread_id",
  "conversation_id",
  "x-client-request-id",
  "openai-beta",
  "openai-organization",
  "openai-project",
  "chatgpt-account-id",
  "content-encoding",
]);
const CODEX_HEADER_PREFIXES = ["x-codex-", "x-openai-", "x-oai-", "x-responsesapi-"];

/** Whether a header belongs in {@link RequestRecord.codexHeaders}. */
export function isCodexHeader(name: string): boolean {
  return (
    CODEX_HEADER_NAMES.has(name) || CODEX_HEADER_PREFIXES.some((prefix) => name.startsWith(prefix))
  );
}

/** Flattens request headers (repeated values joined with `, `). */
export function flattenHeaders(req: IncomingMessage): {
  headers: Record<string, string>;
  codexHeaders: Record<string, string>;
} {
  const headers: Record<string, string> = {};
  const codexHeaders: Record<string, string> = {};
  for (const [name, raw] of Object.entries(req.headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(", ") : raw;
    headers[name] = value;
    if (isCodexHeader(name)) codexHeaders[name] = value;
  }
  return { headers, codexHeaders };
}

/** Creates and stores the record of a request; auth fields are filled by the caller. */
export function recordRequest(
  context: BackendContext,
  req: IncomingMessage,
  endpoint: EndpointName,
  path: string,
  transport: "http" | "websocket",
  auth: Pick<RequestRecord, "authScheme" | "bearer" | "assertion"> = { authScheme: "none" },
): RequestRecord {
  const { headers, codexHeaders } = flattenHeaders(req);
  const record: RequestRecord = {
    id: ++context.counters.request,
    at: context.options.now(),
    method: req.method ?? "GET",
    path,
    endpoint,
    transport,
    headers,
    codexHeaders,
    authScheme: auth.authScheme,
    ...(auth.bearer === undefined ? {} : { bearer: auth.bearer }),
    ...(auth.assertion === undefined ? {} : { assertion: auth.assertion }),
    chatgptAccountId: headers["chatgpt-account-id"],
    attestation: headers["x-oai-attestation"],
    body: undefined,
    status: 0,
    websocketMessages: [],
  };
  context.state.append(context.state.requests, record);
  return record;
}
