import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { EnvHttpProxyAgent } from "undici";
import { afterEach, describe, expect, it, vi } from "vitest";
import { listen as listenOnPort, startConnectProxy } from "../test/support/loopback.js";
import { createDispatcher, loadCustomCa } from "./dispatcher.js";
import { HttpError } from "./errors.js";
import { createHttpClient } from "./http-client.js";

const PEM = readFileSync(new URL("../test/fixtures/tls/ca.pem", import.meta.url), "utf8");
const BROKEN_PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const listen = async (server: Parameters<typeof listenOnPort>[0]) =>
  `http://127.0.0.1:${await listenOnPort(server)}`;

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
    const { url: proxyUrl, tunnels: proxied } = await startConnectProxy();
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

describe("defaultDispatcher", () => {
  /** Fresh copies of the modules, so the process-wide dispatcher starts unbuilt. */
  async function freshModules() {
    vi.resetModules();
    const dispatcherModule = await import("./dispatcher.js");
    const clientModule = await import("./http-client.js");
    return { ...dispatcherModule, ...clientModule };
  }

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("is one dispatcher for the whole process, built once", async () => {
    const { defaultDispatcher: fresh } = await freshModules();
    const first = fresh();
    expect(first).toBeInstanceOf(EnvHttpProxyAgent);
    expect(fresh()).toBe(first);
  });

  it("is what createHttpClient sends with when given no dispatcher; a given one wins", async () => {
    const { defaultDispatcher: fresh, createHttpClient: client } = await freshModules();
    const seen: unknown[] = [];
    const fetch = async (_input: string | URL | Request, init?: RequestInit) => {
      seen.push((init as { dispatcher?: unknown } | undefined)?.dispatcher);
      return new Response("ok");
    };
    const own = createDispatcher({ env: {} });
    await client({ fetch }).requestText({ method: "GET", url: "http://127.0.0.1:9/a" });
    await client({ fetch }).requestText({ method: "GET", url: "http://127.0.0.1:9/b" });
    await client({ fetch, dispatcher: own }).requestText({
      method: "GET",
      url: "http://127.0.0.1:9/c",
    });
    expect(seen[0]).toBe(fresh());
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]).toBe(own);
    await own.close();
  });

  it("serves real requests (loopback origin, the process environment)", async () => {
    const { createHttpClient: client } = await freshModules();
    const origin = await listen(createServer((_req, res) => res.end("via-default")));
    const res = await client().requestText({ method: "GET", url: origin });
    expect(res.body).toBe("via-default");
  });

  it("is built lazily: a broken CA fails the request, not the client, and is not remembered", async () => {
    vi.stubEnv("CODEX_CA_CERTIFICATE", "/definitely/missing/ca.pem");
    const { createHttpClient: client, defaultDispatcher: fresh } = await freshModules();
    const http = client({ fetch: async () => new Response("never") });
    await expect(http.requestText({ method: "GET", url: "http://127.0.0.1:9/" })).rejects.toThrow(
      expect.objectContaining({ name: "HttpError", code: "invalid_ca" }),
    );
    vi.unstubAllEnvs();
    vi.stubEnv("CODEX_CA_CERTIFICATE", "");
    const res = await http.requestText({ method: "GET", url: "http://127.0.0.1:9/" });
    expect(res.body).toBe("never");
    expect(fresh()).toBeInstanceOf(EnvHttpProxyAgent);
  });
});
