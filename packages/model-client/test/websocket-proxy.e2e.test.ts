/**
 * The Responses WebSocket through an HTTP CONNECT proxy named by the same variables @codex/http's
 * dispatcher reads for HTTP (`HTTP_PROXY` / `HTTPS_PROXY` / `NO_PROXY`), against the fake backend.
 */
import { type FakeBackend, startFakeBackend } from "@codex/fake-backend";
import { afterEach, describe, expect, it } from "vitest";
import {
  apiKeyAuth,
  createOpenAiProvider,
  ModelClient,
  ModelClientError,
  type ResponseEvent,
} from "../src/index.js";
import { type ConnectProxy, startConnectProxy } from "./connect-proxy.js";

let backend: FakeBackend | undefined;
let proxy: ConnectProxy | undefined;
const clients: ModelClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await backend?.close();
  await proxy?.close();
  backend = undefined;
  proxy = undefined;
});

function client(b: FakeBackend, env: Record<string, string>): ModelClient {
  const c = new ModelClient({
    provider: {
      ...createOpenAiProvider(b.openaiBaseUrl),
      requestMaxRetries: 0,
      streamMaxRetries: 0,
    },
    sessionId: "S",
    threadId: "T",
    installationId: "1111",
    auth: apiKeyAuth("sk-proxy"),
    env,
  });
  clients.push(c);
  return c;
}

const prompt = (text: string) => ({
  input: [{ type: "message", role: "user", content: [{ type: "input_text", text }] }],
});

async function collect(stream: AsyncIterable<ResponseEvent>): Promise<ResponseEvent[]> {
  const events: ResponseEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const text = (events: readonly ResponseEvent[]) =>
  events.map((e) => (e.type === "output_text_delta" ? e.delta : "")).join("");

describe("WebSocket through the proxy variables", () => {
  it("HTTP_PROXY: the handshake goes through a CONNECT tunnel to the backend", async () => {
    backend = await startFakeBackend();
    proxy = await startConnectProxy();
    const host = new URL(backend.openaiBaseUrl).host;
    const events = await collect(
      client(backend, { HTTP_PROXY: proxy.url }).newSession().stream(prompt("via proxy"), {
        model: "m",
      }),
    );
    expect(text(events)).toBe("via proxy");
    expect(proxy.tunnels).toEqual([{ target: host, authorization: undefined }]);
    expect(backend.state.requestsTo("openai.responses").map((r) => r.transport)).toEqual([
      "websocket",
    ]);
  });

  it("NO_PROXY naming the host (lower-case variables too) bypasses the proxy", async () => {
    backend = await startFakeBackend();
    proxy = await startConnectProxy();
    const events = await collect(
      client(backend, { http_proxy: proxy.url, no_proxy: "example.com, 127.0.0.1" })
        .newSession()
        .stream(prompt("direct"), { model: "m" }),
    );
    expect(text(events)).toBe("direct");
    expect(proxy.tunnels).toEqual([]);
  });

  it("sends proxy credentials as Basic and never puts them in an error", async () => {
    backend = await startFakeBackend();
    proxy = await startConnectProxy(407);
    const c = client(backend, {
      HTTP_PROXY: `http://proxy-user:s3cr%40t@127.0.0.1:${proxy.port}`,
    });
    const events: ResponseEvent[] = [];
    let caught: unknown;
    try {
      for await (const event of c.newSession().stream(prompt("x"), { model: "m" })) {
        events.push(event);
      }
    } catch (error) {
      caught = error;
    }
    expect(proxy.tunnels[0]?.authorization).toBe(
      `Basic ${Buffer.from("proxy-user:s3cr@t").toString("base64")}`,
    );
    // The socket could not open, so the session fell back to HTTP, which the proxy refused too.
    const fallback = events.find((e) => e.type === "transport_fallback");
    expect(fallback?.type === "transport_fallback" && fallback.error.code).toBe(
      "connection_failed",
    );
    expect(fallback?.type === "transport_fallback" && fallback.error.message).toContain(
      "the proxy refused the tunnel (status 407)",
    );
    expect(ModelClientError.is(caught)).toBe(true);
    for (const error of [caught, fallback?.type === "transport_fallback" && fallback.error]) {
      expect(String((error as Error).message)).not.toMatch(/s3cr|proxy-user/);
    }
  });

  it("a proxy variable that is not an http:// URL is a typed error", async () => {
    backend = await startFakeBackend();
    const c = client(backend, { HTTP_PROXY: "socks5://127.0.0.1:1080", HTTPS_PROXY: "" });
    const error = await collect(c.newSession().stream(prompt("x"), { model: "m" })).catch(
      (e: unknown) => e,
    );
    expect(ModelClientError.is(error) && error.code).toBe("invalid_argument");
  });
});
