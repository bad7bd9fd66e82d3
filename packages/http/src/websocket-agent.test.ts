import { readFileSync } from "node:fs";
import { type Agent, createServer, get as httpGet, type IncomingMessage } from "node:http";
import { createServer as createHttpsServer, get as httpsGet } from "node:https";
import { describe, expect, it } from "vitest";
import { listen, startConnectProxy } from "../test/support/loopback.js";
import { HttpError } from "./errors.js";
import { websocketProxyAgent } from "./websocket-agent.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../test/fixtures/tls/${name}`, import.meta.url), "utf8");
const CA_PATH = new URL("../test/fixtures/tls/ca.pem", import.meta.url).pathname;

/** GETs `url` through `agent` (a WebSocket handshake is such a GET) and reads the body. */
function getThrough(url: string, agent: Agent): Promise<string> {
  const get = url.startsWith("https:") ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    get(url, { agent }, (res: IncomingMessage) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve(body));
    }).on("error", reject);
  });
}

describe("websocketProxyAgent: which proxy", () => {
  const wss = "wss://api.openai.com/v1/responses";
  const ws = "ws://127.0.0.1:8080/v1/responses";

  it("is undefined when no proxy applies (no variable, or NO_PROXY matches)", () => {
    expect(websocketProxyAgent(ws, { env: {} })).toBeUndefined();
    expect(websocketProxyAgent(ws, { env: { HTTP_PROXY: "" } })).toBeUndefined();
    expect(websocketProxyAgent(ws, { env: { HTTPS_PROXY: "http://s:1" } })).toBeUndefined();
    expect(
      websocketProxyAgent(wss, { env: { HTTPS_PROXY: "http://s:1", NO_PROXY: "openai.com" } }),
    ).toBeUndefined();
  });

  it("wss uses HTTPS_PROXY, else HTTP_PROXY; ws uses HTTP_PROXY; a bare host:port is http://", () => {
    for (const [url, env] of [
      [wss, { HTTPS_PROXY: "http://s:1", HTTP_PROXY: "http://h:2" }],
      [wss, { http_proxy: "http://h:2" }],
      [ws, { https_proxy: "http://s:1", http_proxy: "h:3" }],
    ] as const) {
      const agent = websocketProxyAgent(url, { env });
      expect(agent).toBeDefined();
      agent?.destroy();
    }
  });

  it("announces the protocol of the URL it serves (https.request checks it)", () => {
    const agent = websocketProxyAgent(wss, { env: { HTTPS_PROXY: "http://127.0.0.1:1" } });
    expect((agent as unknown as { protocol: string }).protocol).toBe("https:");
    agent?.destroy();
    const plain = websocketProxyAgent(ws, { env: { HTTP_PROXY: "http://127.0.0.1:1" } });
    expect((plain as unknown as { protocol: string }).protocol).toBe("http:");
    plain?.destroy();
  });

  it("refuses a proxy that is not http://, without echoing it", () => {
    for (const proxy of ["socks5://user:s3cret@h:1", "https://h:1", "http://[bad"]) {
      let caught: unknown;
      try {
        websocketProxyAgent(ws, { env: { HTTP_PROXY: proxy } });
      } catch (error) {
        caught = error;
      }
      expect(HttpError.is(caught) && caught.code).toBe("invalid_proxy");
      expect((caught as Error).message).toBe("the proxy variable is not an http:// URL");
    }
  });

  it("refuses a URL that is not ws:, wss:, http: or https:", () => {
    expect(() => websocketProxyAgent("ftp://h/", { env: { HTTP_PROXY: "http://p:1" } })).toThrow(
      expect.objectContaining({ code: "invalid_request" }),
    );
    expect(() => websocketProxyAgent("not a url", { env: {} })).toThrow(
      expect.objectContaining({ code: "invalid_request" }),
    );
  });

  it("loads the custom CA for wss (invalid_ca when it cannot), not for ws", () => {
    const env = { HTTPS_PROXY: "http://127.0.0.1:1", CODEX_CA_CERTIFICATE: "/missing/ca.pem" };
    expect(() => websocketProxyAgent(wss, { env })).toThrow(
      expect.objectContaining({ code: "invalid_ca" }),
    );
    const plain = websocketProxyAgent(ws, { env: { ...env, HTTP_PROXY: "http://127.0.0.1:1" } });
    expect(plain).toBeDefined();
    plain?.destroy();
  });
});

describe("websocketProxyAgent: the CONNECT tunnel (real loopback proxy and origin)", () => {
  it("tunnels ws: through HTTP_PROXY, sending the proxy's credentials as Basic", async () => {
    const port = await listen(createServer((_req, res) => res.end("through the tunnel")));
    const proxy = await startConnectProxy();
    const proxyUrl = proxy.url.replace("http://", "http://proxy-user:s3cr%40t@");
    const agent = websocketProxyAgent(`ws://127.0.0.1:${port}/`, { env: { HTTP_PROXY: proxyUrl } });
    if (agent === undefined) throw new Error("expected an agent");
    expect(await getThrough(`http://127.0.0.1:${port}/`, agent)).toBe("through the tunnel");
    expect(proxy.tunnels).toEqual([`127.0.0.1:${port}`]);
    expect(proxy.authorizations).toEqual([
      `Basic ${Buffer.from("proxy-user:s3cr@t").toString("base64")}`,
    ]);
    agent.destroy();
  });

  it("runs TLS inside the tunnel for wss:, trusting the custom CA", async () => {
    const server = createHttpsServer(
      { key: fixture("server-key.pem"), cert: fixture("server-cert.pem") },
      (_req, res) => res.end("tls through the tunnel"),
    );
    const port = await listen(server);
    const proxy = await startConnectProxy();
    const url = `https://127.0.0.1:${port}/`;
    const untrusted = websocketProxyAgent(url, { env: { HTTPS_PROXY: proxy.url } });
    if (untrusted === undefined) throw new Error("expected an agent");
    await expect(getThrough(url, untrusted)).rejects.toThrow();
    untrusted.destroy();
    const agent = websocketProxyAgent(`wss://127.0.0.1:${port}/`, {
      env: { HTTPS_PROXY: proxy.url, CODEX_CA_CERTIFICATE: CA_PATH },
    });
    if (agent === undefined) throw new Error("expected an agent");
    expect(await getThrough(url, agent)).toBe("tls through the tunnel");
    expect(proxy.tunnels).toEqual([`127.0.0.1:${port}`, `127.0.0.1:${port}`]);
    agent.destroy();
  });

  it("fails the connection with HttpError network when the proxy refuses, without credentials", async () => {
    const proxy = await startConnectProxy(407);
    const proxyUrl = proxy.url.replace("http://", "http://proxy-user:s3cret@");
    const agent = websocketProxyAgent("ws://example.test/", { env: { HTTP_PROXY: proxyUrl } });
    if (agent === undefined) throw new Error("expected an agent");
    const error = await getThrough("http://example.test/", agent).catch((e: unknown) => e);
    expect(HttpError.is(error) && error.code).toBe("network");
    expect((error as Error).message).toBe("the proxy refused the tunnel (status 407)");
    expect((error as Error).message).not.toMatch(/s3cret|proxy-user/);
    expect(proxy.tunnels).toEqual(["example.test:80"]);
    agent.destroy();
  });
});
