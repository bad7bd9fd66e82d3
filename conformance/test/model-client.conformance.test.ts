/**
 * The same turn, sent once by the real `codex exec` (0.169.0) and once by our `ModelClient`,
 * against the same `@codex/fake-backend`: the requests must carry the same header names and body
 * keys, over HTTP + SSE and over the Responses WebSocket (upgrade headers, the `generate:false`
 * prewarm and the turn), each with an API key and with ChatGPT tokens. Compared live, run by run: the stored
 * fixture stays the per-package check of packages/model-client.
 *
 * Our client is given what the host (exec's turn layer) gives upstream's `ModelClient`: the same
 * session, thread and installation ids, the same prompt (input items, tools, reasoning), the same
 * beta features, the same `x-codex-turn-metadata` string (built by the turn layer, not by the
 * model client) and the same originator and version. So beyond names, every header value and
 * every body value is compared as well, except the few listed in NORMALISED below. The ids and
 * the turn metadata contents, which differ from run to run, are thus not normalised but fed:
 * what is under test is how the model client carries them (headers, `prompt_cache_key`, window
 * id, the ids 0.169 copies from the turn metadata into `client_metadata`).
 *
 * Then the resends: 5xx (and a 404) scripted past the transport's retries, and 5xx error frames
 * past the budget over the WebSocket (fallback to HTTP). Both clients must send the same sequence
 * of requests and end the same way.
 */
import { type FakeBackend, type RequestRecord, scripts } from "@codex/fake-backend";
import { AuthManager } from "@codex/login";
import {
  apiKeyAuth,
  ModelClient,
  ModelClientError,
  type ModelProviderInfo,
  modelAuthFromLogin,
  type Prompt,
  type ReasoningOptions,
  type ResponseEvent,
  type TurnOptions,
} from "@codex/model-client";
import { isJsonObject, type JsonObject, type JsonValue } from "@codex/wire";
import { afterAll, describe, expect, inject, it } from "vitest";
import { killLiveCodexRuns } from "../src/codex-harness.js";
import { UPSTREAM_CODEX_VERSION } from "../src/ensure-codex.js";
import {
  CONFORMANCE_API_KEY,
  disposeTurn,
  type ExecTurn,
  isChatgptMode,
  runExecTurn,
  type TurnMode,
} from "../src/exec-turn.js";

const codex = inject("codexBinary");
const PROMPT = "say hi to the model-client conformance test";

/**
 * Values that legitimately differ between the two clients, each with the reason. Everything not
 * listed here is compared by value.
 */
const NORMALISED = {
  headers: {
    "user-agent":
      "built from the host: upstream's OS description (os_info: `Debian 12.0.0; x86_64`) and the " +
      "exec suffix `(codex_exec; 0.169.0)`; ours uses Node's os.type()/release()/arch(). Only the " +
      "`<originator>/<version> (` prefix is compared",
    "sec-websocket-key": "a random nonce per handshake (RFC 6455 §4.1)",
  },
  /** Header names Node's fetch (undici) adds to every request on its own; upstream's reqwest does not. */
  transportOnlyHeaders: {
    connection: "undici sends `keep-alive` explicitly (HTTP/1.1 default either way)",
    "accept-encoding": "undici offers `gzip, deflate` unless told otherwise",
    "accept-language": "undici sends `*` unless told otherwise",
    "sec-fetch-mode": "the Fetch standard's `cors`, added by undici",
  },
  body: {
    previous_response_id:
      "assigned by the server: the fake backend numbers responses (`resp_<n>`) across both runs",
    "client_metadata.x-codex-ws-stream-request-start-ms": "a clock reading (Unix ms) when sent",
  },
} as const;

const TRANSPORT_ONLY = new Set(Object.keys(NORMALISED.transportOnlyHeaders));

const turns: ExecTurn[] = [];
afterAll(async () => {
  killLiveCodexRuns();
  for (const done of turns.splice(0)) await disposeTurn(done);
});

async function realTurn(mode: TurnMode): Promise<ExecTurn> {
  const turn = await runExecTurn(codex, { mode, prompt: PROMPT });
  turns.push(turn);
  expect(turn.run.code, turn.run.stderr).toBe(0);
  return turn;
}

function responsesCalls(requests: readonly RequestRecord[]): RequestRecord[] {
  return requests.filter(
    (r) => r.endpoint === "openai.responses" || r.endpoint === "codex.responses",
  );
}

function object(value: unknown, what: string): JsonObject {
  if (!isJsonObject(value)) throw new Error(`${what} is not a JSON object`);
  // Bodies and frames were parsed from JSON by the backend, so every value is JSON.
  return value as JsonObject;
}

function header(record: RequestRecord, name: string): string {
  const value = record.headers[name];
  if (value === undefined) throw new Error(`the real client sent no ${name}`);
  return value;
}

/** What exec's turn layer handed its model client, read back from the real request. */
function promptOf(body: JsonObject): Prompt {
  return {
    input: (body.input as JsonValue[]).map((item) => object(item, "an input item")),
    tools: (body.tools as JsonValue[]).map((tool) => object(tool, "a tool")),
    parallelToolCalls: body.parallel_tool_calls === true,
    ...(typeof body.instructions === "string" ? { instructions: body.instructions } : {}),
  };
}

function turnOptionsOf(body: JsonObject, turnMetadata: string | undefined): TurnOptions {
  const reasoning = body.reasoning;
  return {
    model: String(body.model),
    reasoning: isJsonObject(reasoning) ? (reasoning as ReasoningOptions) : null,
    ...(turnMetadata === undefined ? {} : { turnMetadata }),
  };
}

function turnMetadataOf(body: JsonObject): string | undefined {
  const metadata = object(body.client_metadata, "client_metadata");
  const value = metadata["x-codex-turn-metadata"];
  return typeof value === "string" ? value : undefined;
}

/** Our client, configured as exec configures upstream's for the same `config.toml` and ids. */
async function ourClient(
  turn: ExecTurn,
  mode: TurnMode,
  first: RequestRecord,
  retries: { readonly request: number; readonly stream: number } = { request: 0, stream: 0 },
) {
  const backend: FakeBackend = turn.backend;
  const provider: ModelProviderInfo = {
    name: "fake",
    baseUrl: isChatgptMode(mode) ? `${backend.chatgptBaseUrl}/codex` : backend.openaiBaseUrl,
    requiresOpenaiAuth: true,
    supportsWebsockets: mode === "api-key-websocket" || mode === "chatgpt-websocket",
    requestMaxRetries: retries.request,
    streamMaxRetries: retries.stream,
  };
  // ChatGPT mode reads the very auth.json the real codex used, through @codex/login.
  const auth = isChatgptMode(mode)
    ? modelAuthFromLogin(
        await AuthManager.create({
          codexHome: turn.home.home,
          storeMode: "file",
          env: {},
          issuer: backend.issuerUrl,
          refreshTokenUrl: `${backend.issuerUrl}/oauth/token`,
        }),
      )
    : apiKeyAuth(CONFORMANCE_API_KEY);
  const metadata = object(
    JSON.parse(header(first, "x-codex-turn-metadata")) as JsonValue,
    "turn metadata",
  );
  return new ModelClient({
    provider,
    sessionId: header(first, "session-id"),
    threadId: header(first, "thread-id"),
    installationId: String(metadata.installation_id),
    auth,
    betaFeatures: header(first, "x-codex-beta-features").split(","),
    chatgptBaseUrl: backend.chatgptBaseUrl,
    originator: header(first, "originator"),
    clientVersion: UPSTREAM_CODEX_VERSION,
    env: {},
  });
}

async function drain(stream: AsyncIterable<ResponseEvent>): Promise<string> {
  let text = "";
  for await (const event of stream) if (event.type === "output_text_delta") text += event.delta;
  return text;
}

/** Header map with the NORMALISED values replaced and undici's own names dropped. */
function comparableHeaders(record: RequestRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers)) {
    if (TRANSPORT_ONLY.has(name) && record.transport === "http") continue;
    if (name === "user-agent") {
      out[name] = `${/^[^/]+\/[^ ]+ \(/.exec(value)?.[0] ?? value}…`;
    } else if (name in NORMALISED.headers) {
      out[name] = "<normalised>";
    } else {
      out[name] = value;
    }
  }
  return out;
}

/** A body (or `response.create` frame) with the NORMALISED values replaced. */
function comparableBody(value: unknown): { keys: string[]; body: JsonObject } {
  const body = { ...object(value, "a request body") };
  const keys = Object.keys(body);
  if (typeof body.previous_response_id === "string") {
    expect(body.previous_response_id).toMatch(/^resp_/);
    body.previous_response_id = "<normalised>";
  }
  if (isJsonObject(body.client_metadata)) {
    const metadata = { ...body.client_metadata };
    if (typeof metadata["x-codex-ws-stream-request-start-ms"] === "string") {
      expect(metadata["x-codex-ws-stream-request-start-ms"]).toMatch(/^\d{13}$/);
      metadata["x-codex-ws-stream-request-start-ms"] = "<normalised>";
    }
    body.client_metadata = metadata;
  }
  return { keys, body };
}

/**
 * Each normalisation is needed: the user agents differ and the transport-only names are sent by
 * us alone. (When one stops being true, drop it from NORMALISED.)
 */
function expectNormalisationsNeeded(ours: RequestRecord, real: RequestRecord): void {
  expect(ours.headers["user-agent"]).not.toBe(real.headers["user-agent"]);
  if (ours.transport !== "http") return;
  for (const name of TRANSPORT_ONLY) {
    expect(ours.headers[name], name).toBeDefined();
    expect(real.headers[name], name).toBeUndefined();
  }
}

function expectSameHttpRequest(ours: RequestRecord, real: RequestRecord): void {
  expectNormalisationsNeeded(ours, real);
  expect([ours.method, ours.path, ours.transport]).toEqual([
    real.method,
    real.path,
    real.transport,
  ]);
  const [a, b] = [comparableHeaders(ours), comparableHeaders(real)];
  expect(Object.keys(a).sort(), "header names").toEqual(Object.keys(b).sort());
  expect(a, "header values").toEqual(b);
  const [x, y] = [comparableBody(ours.body), comparableBody(real.body)];
  expect(x.keys, "body keys, in order").toEqual(y.keys);
  expect(Object.keys(object(x.body.client_metadata, "ours")).sort()).toEqual(
    Object.keys(object(y.body.client_metadata, "real")).sort(),
  );
  expect(x.body, "body values").toEqual(y.body);
}

describe("the real codex exec and our ModelClient send the same Responses request", () => {
  for (const mode of ["api-key-http", "chatgpt-http"] as const) {
    it(`${mode}: same header names and values, same body keys and values (HTTP + SSE)`, async () => {
      const turn = await realTurn(mode);
      const [real, ...more] = responsesCalls(turn.requests);
      expect(more).toHaveLength(0);
      if (real === undefined) throw new Error("the real client sent no Responses call");
      const body = object(real.body, "the real body");
      const client = await ourClient(turn, mode, real);
      try {
        const before = turn.backend.state.requests.length;
        const session = client.newSession();
        const text = await drain(
          session.stream(promptOf(body), turnOptionsOf(body, turnMetadataOf(body))),
        );
        session.close();
        expect(text).toContain(PROMPT);
        const [ours, ...extra] = responsesCalls(turn.backend.state.requests.slice(before));
        expect(extra).toHaveLength(0);
        if (ours === undefined) throw new Error("our client sent no Responses call");
        expectSameHttpRequest(ours, real);
        if (mode === "chatgpt-http") {
          expect(ours.bearer?.valid).toBe(true);
          expect(ours.chatgptAccountId).toBe(turn.backend.account.chatgptAccountId);
        }
      } finally {
        client.close();
      }
    });
  }

  for (const mode of ["api-key-websocket", "chatgpt-websocket"] as const) {
    it(`${mode}: same upgrade headers, same prewarm (generate:false) and turn frames`, async () => {
      const turn = await realTurn(mode);
      const [real, ...more] = responsesCalls(turn.requests);
      expect(more).toHaveLength(0);
      if (real === undefined) throw new Error("the real client opened no WebSocket");
      expect(real.transport).toBe("websocket");
      const [prewarm, frame, ...frames] = real.websocketMessages.map((m) => object(m, "a frame"));
      expect(frames).toHaveLength(0);
      if (prewarm === undefined || frame === undefined) throw new Error("expected two frames");
      expect(prewarm.generate).toBe(false);
      const client = await ourClient(turn, mode, real);
      try {
        const before = turn.backend.state.requests.length;
        const session = client.newSession();
        // Upstream prewarms with the initial context, then sends the turn's full history, of which
        // only the items after the prewarm's input go on the wire (previous_response_id).
        await session.prewarm(promptOf(prewarm), turnOptionsOf(prewarm, turnMetadataOf(prewarm)));
        const history: Prompt = {
          ...promptOf(frame),
          input: [...promptOf(prewarm).input, ...promptOf(frame).input],
        };
        const text = await drain(
          session.stream(history, turnOptionsOf(frame, turnMetadataOf(frame))),
        );
        session.close();
        expect(text).toContain(PROMPT);
        const [ours, ...extra] = responsesCalls(turn.backend.state.requests.slice(before));
        expect(extra).toHaveLength(0);
        if (ours === undefined) throw new Error("our client opened no WebSocket");
        expect([ours.method, ours.path, ours.transport, ours.status]).toEqual([
          real.method,
          real.path,
          real.transport,
          real.status,
        ]);
        expectNormalisationsNeeded(ours, real);
        const [a, b] = [comparableHeaders(ours), comparableHeaders(real)];
        expect(Object.keys(a).sort(), "upgrade header names").toEqual(Object.keys(b).sort());
        expect(a, "upgrade header values").toEqual(b);
        const ourFrames = ours.websocketMessages.map((m) => comparableBody(m));
        const realFrames = real.websocketMessages.map((m) => comparableBody(m));
        expect(
          ourFrames.map((f) => f.keys),
          "frame keys, in order",
        ).toEqual(realFrames.map((f) => f.keys));
        for (let i = 0; i < realFrames.length; i++) {
          expect(
            Object.keys(object(ourFrames[i]?.body.client_metadata, "ours")).sort(),
            `frame ${i} client_metadata keys`,
          ).toEqual(Object.keys(object(realFrames[i]?.body.client_metadata, "real")).sort());
          expect(ourFrames[i]?.body, `frame ${i} values`).toEqual(realFrames[i]?.body);
        }
        if (mode === "chatgpt-websocket") {
          // The same ChatGPT login (one auth.json) on both upgrades: a valid Bearer with the
          // account id, as the real client sends it.
          expect(real.bearer?.valid).toBe(true);
          expect(ours.bearer?.valid).toBe(true);
          expect(ours.chatgptAccountId).toBe(turn.backend.account.chatgptAccountId);
          expect(real.chatgptAccountId).toBe(turn.backend.account.chatgptAccountId);
        }
      } finally {
        client.close();
      }
    });
  }
});

describe("after the transport's retries, the turn sends a 5xx request again, as 0.169 does", () => {
  const HIGH_DEMAND = "We’re currently experiencing high demand, which may cause temporary errors.";
  const cases = [
    {
      name: "500, 500, 502, 502, then an answer (request_max_retries 1, stream_max_retries 2)",
      retries: { request: 1, stream: 2 },
      statuses: [500, 500, 502, 502],
      answer: "answer after two turn-level resends",
    },
    {
      name: "500 four times (request_max_retries 1, stream_max_retries 1): the high-demand error",
      retries: { request: 1, stream: 1 },
      statuses: [500, 500, 500, 500],
      answer: undefined,
    },
    {
      name: "404, then an answer (request_max_retries 0, stream_max_retries 1)",
      retries: { request: 0, stream: 1 },
      statuses: [404],
      answer: "answer after a 404",
    },
  ] as const;

  for (const scenario of cases) {
    it(scenario.name, async () => {
      const script = () => [
        ...scenario.statuses.map((status) => scripts.serverError(status)),
        ...(scenario.answer === undefined ? [] : [scripts.text(scenario.answer)]),
      ];
      const turn = await runExecTurn(codex, {
        mode: "api-key-http",
        prompt: PROMPT,
        retries: scenario.retries,
        scripts: script(),
      });
      turns.push(turn);
      const realStatuses = responsesCalls(turn.requests).map((r) => r.status);
      // The real client's outcome: the answer, or exit 1 with the high-demand text.
      if (scenario.answer === undefined) {
        expect(turn.run.code).toBe(1);
        expect(turn.run.stderr).toContain(HIGH_DEMAND);
      } else {
        expect(turn.run.code, turn.run.stderr).toBe(0);
        expect(turn.run.stdout).toContain(scenario.answer);
      }
      expect(turn.run.stderr).toContain(`Reconnecting... 1/${scenario.retries.stream}`);
      expect(turn.backend.pendingScripts()).toBe(0);

      const first = responsesCalls(turn.requests)[0];
      if (first === undefined) throw new Error("the real client sent no Responses call");
      const body = object(first.body, "the real body");
      const client = await ourClient(turn, "api-key-http", first, scenario.retries);
      try {
        turn.backend.enqueue(...script());
        const before = turn.backend.state.requests.length;
        const reconnects: string[] = [];
        let text = "";
        let caught: unknown;
        try {
          const session = client.newSession();
          for await (const event of session.stream(
            promptOf(body),
            turnOptionsOf(body, turnMetadataOf(body)),
          )) {
            if (event.type === "reconnecting") {
              reconnects.push(`Reconnecting... ${event.attempt}/${event.maxAttempts}`);
            }
            if (event.type === "output_text_delta") text += event.delta;
          }
          session.close();
        } catch (error) {
          caught = error;
        }
        const ourStatuses = responsesCalls(turn.backend.state.requests.slice(before)).map(
          (r) => r.status,
        );
        expect(ourStatuses).toEqual(realStatuses);
        const realReconnects = turn.run.stderr.match(/Reconnecting\.\.\. \d+\/\d+/g) ?? [];
        expect(reconnects).toEqual(realReconnects);
        if (scenario.answer === undefined) {
          expect(ModelClientError.is(caught) && caught.message).toBe(HIGH_DEMAND);
        } else {
          expect(caught).toBeUndefined();
          expect(text).toBe(scenario.answer);
        }
        expect(turn.backend.pendingScripts()).toBe(0);
      } finally {
        client.close();
      }
    });
  }
});

describe("resends spent on the WebSocket: the session falls back to HTTP, as 0.169 does", () => {
  it("500 frames on two sockets (stream_max_retries 1), then the turn over HTTP", async () => {
    const retries = { request: 0, stream: 1 };
    const script = () => [
      scripts.serverError(500),
      scripts.serverError(500),
      scripts.text("answer over https after the fallback"),
    ];
    const turn = await runExecTurn(codex, {
      mode: "api-key-websocket",
      prompt: PROMPT,
      retries,
      scripts: script(),
    });
    turns.push(turn);
    expect(turn.run.code, turn.run.stderr).toBe(0);
    expect(turn.run.stdout).toContain("answer over https after the fallback");
    const shape = (records: readonly RequestRecord[]) =>
      responsesCalls(records).map((r) => [
        r.transport,
        r.status,
        r.websocketMessages.map((m) =>
          object(m, "a frame").generate === false ? "prewarm" : "turn",
        ),
      ]);
    const realShape = shape(turn.requests);
    expect(realShape).toEqual([
      ["websocket", 101, ["prewarm", "turn"]],
      ["websocket", 101, ["turn"]],
      ["http", 200, []],
    ]);
    const warning = /Falling back from WebSockets to HTTPS transport\. (.+)$/m.exec(
      turn.run.stderr,
    );
    expect(warning).not.toBeNull();

    const upgrade = responsesCalls(turn.requests)[0];
    if (upgrade === undefined) throw new Error("the real client opened no WebSocket");
    const [prewarm, frame] = upgrade.websocketMessages.map((m) => object(m, "a frame"));
    if (prewarm === undefined || frame === undefined) throw new Error("expected two frames");
    const client = await ourClient(turn, "api-key-websocket", upgrade, retries);
    try {
      turn.backend.enqueue(...script());
      const before = turn.backend.state.requests.length;
      const session = client.newSession();
      await session.prewarm(promptOf(prewarm), turnOptionsOf(prewarm, turnMetadataOf(prewarm)));
      const history: Prompt = {
        ...promptOf(frame),
        input: [...promptOf(prewarm).input, ...promptOf(frame).input],
      };
      const events: ResponseEvent[] = [];
      for await (const event of session.stream(
        history,
        turnOptionsOf(frame, turnMetadataOf(frame)),
      )) {
        events.push(event);
      }
      session.close();
      expect(shape(turn.backend.state.requests.slice(before))).toEqual(realShape);
      const fallback = events.find((e) => e.type === "transport_fallback");
      expect(fallback?.type === "transport_fallback" && fallback.error.message).toBe(warning?.[1]);
      const after = events.slice(events.indexOf(fallback as ResponseEvent));
      expect(after.map((e) => (e.type === "output_text_delta" ? e.delta : "")).join("")).toBe(
        "answer over https after the fallback",
      );
      expect(client.websocketsEnabled).toBe(false);
      expect(turn.backend.pendingScripts()).toBe(0);
    } finally {
      client.close();
    }
  });
});
