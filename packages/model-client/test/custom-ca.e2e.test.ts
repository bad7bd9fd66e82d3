/**
 * Real TLS on 127.0.0.1 with the throwaway CA of @codex/http's fixtures (vendored unchanged in
 * test/fixtures/tls): HTTP and WebSocket turns trust the server only through
 * CODEX_CA_CERTIFICATE.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { apiKeyAuth, ModelClient, ModelClientError, type ResponseEvent } from "../src/index.js";
import { type ConnectProxy, startConnectProxy } from "./connect-proxy.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/tls/${name}`, import.meta.url));
const completed = (id: string) => ({ type: "response.completed", response: { id } });

let server: Server | undefined;
let proxy: ConnectProxy | undefined;
const clients: ModelClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await proxy?.close();
  proxy = undefined;
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** HTTPS + WSS on 127.0.0.1 answering every Responses call with one completed event. */
async function tlsBackend(): Promise<string> {
  server = createServer(
    {
      key: readFileSync(fixture("server-key.pem")),
      cert: readFileSync(fixture("server-cert.pem")),
    },
    (req, res) => {
      req.resume();
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(`data: ${JSON.stringify(completed("resp_http"))}\n\n`);
    },
  );
  const wss = new WebSocketServer({ server });
  wss.on("connection", (ws) =>
    ws.on("message", () => ws.send(JSON.stringify(completed("resp_ws")))),
  );
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", () => resolve()));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

function client(baseUrl: string, websockets: boolean, env: Record<string, string>): ModelClient {
  const c = new ModelClient({
    provider: {
      name: "tls",
      baseUrl,
      supportsWebsockets: true,
      streamMaxRetries: 0,
      requestMaxRetries: 0,
    },
    sessionId: "S",
    threadId: "T",
    installationId: "1111",
    auth: apiKeyAuth("sk-tls"),
    env,
    websockets,
  });
  clients.push(c);
  return c;
}

async function lastEvent(c: ModelClient): Promise<ResponseEvent | undefined> {
  let last: ResponseEvent | undefined;
  const session = c.newSession();
  for await (const event of session.stream({ input: [] }, { model: "m" })) last = event;
  session.close();
  return last;
}

describe("custom CA", () => {
  it("HTTP and WebSocket trust the server through CODEX_CA_CERTIFICATE", async () => {
    const base = await tlsBackend();
    const env = { CODEX_CA_CERTIFICATE: fixture("ca.pem") };
    expect(await lastEvent(client(base, false, env))).toEqual({
      type: "completed",
      responseId: "resp_http",
    });
    expect(await lastEvent(client(base, true, env))).toEqual({
      type: "completed",
      responseId: "resp_ws",
    });
  });

  it("wss through HTTPS_PROXY: TLS to the server inside the CONNECT tunnel, with the CA", async () => {
    const base = await tlsBackend();
    proxy = await startConnectProxy();
    const env = { CODEX_CA_CERTIFICATE: fixture("ca.pem"), HTTPS_PROXY: proxy.url };
    expect(await lastEvent(client(base, true, env))).toEqual({
      type: "completed",
      responseId: "resp_ws",
    });
    expect(proxy.tunnels.map((t) => t.target)).toEqual([new URL(base).host]);
  });

  it("without the CA both refuse the server", async () => {
    const base = await tlsBackend();
    for (const websockets of [false, true]) {
      const error = await lastEvent(client(base, websockets, {})).catch((e: unknown) => e);
      expect(ModelClientError.is(error) && error.code).toBe("connection_failed");
    }
  });

  it("a CA variable naming a missing file is a typed error", () => {
    expect(() =>
      client("https://127.0.0.1:1/v1", false, { CODEX_CA_CERTIFICATE: "/nonexistent/ca.pem" }),
    ).toThrow(ModelClientError);
  });
});
