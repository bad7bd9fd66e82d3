import type { RequestRecord } from "@codex/fake-backend";

/** The names (never values) of what one Responses call carried. */
export interface HttpRequestShape {
  readonly method: string;
  readonly path: string;
  /** Header names, lower case, in arrival order. */
  readonly headerNames: readonly string[];
  /** Top-level body keys, in order. */
  readonly bodyKeys: readonly string[];
  /** Keys of the JSON in the `x-codex-turn-metadata` header, in order. */
  readonly turnMetadataKeys: readonly string[];
  /** Keys of `client_metadata` in the body, sorted (upstream builds it from a hash map). */
  readonly clientMetadataKeys: readonly string[];
}

/** One `response.create` message sent over the WebSocket. */
export interface WebSocketMessageShape {
  readonly type: string;
  readonly bodyKeys: readonly string[];
  /** `generate` when sent (`false` on the prewarm). */
  readonly generate?: boolean;
}

/** A WebSocket Responses connection: the upgrade and the messages. */
export interface WebSocketShape {
  readonly path: string;
  readonly upgradeHeaderNames: readonly string[];
  readonly turnMetadataKeys: readonly string[];
  readonly messages: readonly WebSocketMessageShape[];
}

/** The committed fixture: what the real client sends to the fake backend. */
export interface UpstreamRequestFixture {
  readonly upstreamVersion: string;
  readonly note: string;
  /** API key, HTTP + SSE, `POST /v1/responses`. */
  readonly apiKeyHttp: HttpRequestShape;
  /** API key, `supports_websockets = true`, `GET /v1/responses` upgrade. */
  readonly apiKeyWebSocket: WebSocketShape;
  /** ChatGPT tokens, HTTP + SSE, `POST /backend-api/codex/responses`. */
  readonly chatgptHttp: HttpRequestShape;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function keysOf(value: unknown): string[] {
  return isObject(value) ? Object.keys(value) : [];
}

function jsonKeys(text: string | undefined): string[] {
  if (text === undefined) return [];
  try {
    return keysOf(JSON.parse(text));
  } catch {
    return [];
  }
}

/** The shape of an HTTP Responses call recorded by the fake backend. */
export function httpRequestShape(record: RequestRecord): HttpRequestShape {
  const body = isObject(record.body) ? record.body : {};
  return {
    method: record.method,
    path: record.path,
    headerNames: Object.keys(record.headers),
    bodyKeys: Object.keys(body),
    turnMetadataKeys: jsonKeys(record.headers["x-codex-turn-metadata"]),
    clientMetadataKeys: keysOf(body.client_metadata).sort(),
  };
}

/** The shape of a WebSocket Responses connection recorded by the fake backend. */
export function webSocketShape(record: RequestRecord): WebSocketShape {
  return {
    path: record.path,
    upgradeHeaderNames: Object.keys(record.headers),
    turnMetadataKeys: jsonKeys(record.headers["x-codex-turn-metadata"]),
    messages: record.websocketMessages.map((message) => {
      const body = isObject(message) ? message : {};
      return {
        type: typeof body.type === "string" ? body.type : "",
        bodyKeys: Object.keys(body),
        ...(typeof body.generate === "boolean" ? { generate: body.generate } : {}),
      };
    }),
  };
}

/** Names compared as sets (sorted copies), so a reordering alone is not a difference. */
export function sortedNames(names: readonly string[]): string[] {
  return [...names].sort();
}
