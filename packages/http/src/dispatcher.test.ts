import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createDispatcher, loadCustomCa } from "./dispatcher.js";
import { HttpError } from "./errors.js";
import { createHttpClient } from "./http-client.js";

const PEM = readFileSync(new URL("../test/fixtures/tls/ca.pem", import.meta.url), "utf8");
const BROKEN_PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("loadCustomCa", () => {
  it("prefers CODEX_CA_CERTIFICATE over SSL_CERT_FILE", () => {
    const read: string[] = [];
    const pem = loadCustomCa({
      env: { CODEX_CA_CERTIFICATE: "/a.pem", SSL_CERT_FILE: "/b.pem" },
      readFile: (p) => {
        read.push(p);
        return PEM;
      },
    });
    expect(pem).toBe(PEM);
    expect(read).toEqual(["/a.pem"]);
  });

  it("returns undefined when neither variable is set", () => {
    expect(loadCustomCa({ env: {} })).toBeUndefined();
  });

  it("fails with invalid_ca for an unreadable file or a file without a certificate", () => {
    expect(() => loadCustomCa({ env: { SSL_CERT_FILE: "/definitely/missing.pem" } })).toThrow(
      expect.objectContaining({ code: "invalid_ca" }),
    );
    expect(() => loadCustomCa({ env: { SSL_CERT_FILE: "/x" }, readFile: () => "junk" })).toThrow(
      HttpError,
    );
  });
});

describe("createDispatcher", () => {
  it("sends through the HTTP_PROXY named in the given env (real loopback proxy)", async () => {
    const origin = await listen(createServer((_req, res) => res.end("from-origin")));
    const proxied: string[] = [];
    // A real CONNECT proxy, as undici's ProxyAgent tunnels through one.
    const proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on("connect", (req, clientSocket, head) => {
      proxied.push(req.url ?? "");
      const [host, port] = (req.url ?? "").split(":");
      const upstream = connect(Number(port), host, () => {
        clientSocket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(clientSocket);
        clientSocket.pipe(upstream);
      });
      upstream.on("error", () => clientSocket.destroy());
      clientSocket.on("error", () => upstream.destroy());
    });
    const proxyUrl = await listen(proxy);
    const dispatcher = createDispatcher({ env: { HTTP_PROXY: proxyUrl } });
    const client = createHttpClient({ dispatcher });
    const res = await client.requestText({ method: "GET", url: `${origin}/through-proxy` });
    expect(res.body).toBe("from-origin");
    expect(proxied).toEqual([origin.replace("http://", "")]);
    await dispatcher.close();
  });

  it("goes direct when the env names no proxy", async () => {
    const origin = await listen(createServer((_req, res) => res.end("direct")));
    const dispatcher = createDispatcher({ env: {} });
    const res = await createHttpClient({ dispatcher }).requestText({ method: "GET", url: origin });
    expect(res.body).toBe("direct");
    await dispatcher.close();
  });

  it("refuses to build with a CA bundle whose certificate does not parse", () => {
    expect(() =>
      createDispatcher({ env: { CODEX_CA_CERTIFICATE: "/ca.pem" }, readFile: () => BROKEN_PEM }),
    ).toThrow(expect.objectContaining({ name: "HttpError", code: "invalid_ca" }));
  });

  it("refuses to build with an unreadable CA bundle", () => {
    expect(() => createDispatcher({ env: { CODEX_CA_CERTIFICATE: "/missing/ca.pem" } })).toThrow(
      expect.objectContaining({ code: "invalid_ca" }),
    );
  });
});
