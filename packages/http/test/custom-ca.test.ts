/**
 * Real TLS on 127.0.0.1 with a throwaway CA (test/fixtures/tls, made by generate.sh): the
 * dispatcher refuses the server without the CA and trusts it through CODEX_CA_CERTIFICATE or
 * SSL_CERT_FILE, directly and through a CONNECT proxy.
 */
import { readFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createDispatcher } from "../src/dispatcher.js";
import { HttpError } from "../src/errors.js";
import { createHttpClient } from "../src/http-client.js";
import { listen, startConnectProxy } from "./support/loopback.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/tls/${name}`, import.meta.url));
const CA_PATH = fixture("ca.pem");

async function startTlsOrigin(): Promise<string> {
  const server = createHttpsServer(
    {
      key: readFileSync(fixture("server-key.pem")),
      cert: readFileSync(fixture("server-cert.pem")),
    },
    (_req, res) => res.end("tls ok"),
  );
  return `https://127.0.0.1:${await listen(server)}/`;
}

async function fetchWith(env: Record<string, string>, url: string) {
  const dispatcher = createDispatcher({ env });
  try {
    return await createHttpClient({ dispatcher }).requestText({ method: "GET", url });
  } finally {
    await dispatcher.close();
  }
}

describe("custom CA over real TLS", () => {
  it("refuses a server signed by an unknown CA", async () => {
    const origin = await startTlsOrigin();
    const error = await fetchWith({}, origin).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).code).toBe("network");
  });

  it.each(["CODEX_CA_CERTIFICATE", "SSL_CERT_FILE"])("trusts it through %s", async (name) => {
    const origin = await startTlsOrigin();
    const res = await fetchWith({ [name]: CA_PATH }, origin);
    expect(res).toMatchObject({ status: 200, body: "tls ok" });
  });

  it("trusts it through a CONNECT proxy too", async () => {
    const origin = await startTlsOrigin();
    const { url: proxyUrl, tunnels } = await startConnectProxy();
    const refused = await fetchWith({ HTTPS_PROXY: proxyUrl }, origin).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "network" });
    const res = await fetchWith({ HTTPS_PROXY: proxyUrl, CODEX_CA_CERTIFICATE: CA_PATH }, origin);
    expect(res.body).toBe("tls ok");
    expect(tunnels).toHaveLength(2);
  });
});
