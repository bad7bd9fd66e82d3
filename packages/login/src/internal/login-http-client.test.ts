import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDispatcher } from "@codex/http";
import { silentLogger } from "@codex/wire";
import { describe, expect, it, vi } from "vitest";
import { LoginError } from "../errors.js";
import { createLoginHttpClient } from "./login-http-client.js";

vi.mock("@codex/http", async (importOriginal) => {
  const real = await importOriginal<typeof import("@codex/http")>();
  return { ...real, createDispatcher: vi.fn(real.createDispatcher) };
});

describe("createLoginHttpClient", () => {
  it("reaches a loopback server through the shared dispatcher", async () => {
    const server = createServer((_req, res) => res.end("ok"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const { port } = server.address() as { port: number };
    try {
      const client = createLoginHttpClient({
        logger: silentLogger,
        env: {},
        errorCode: "login_failed",
      });
      const res = await client.requestText({ method: "GET", url: `http://127.0.0.1:${port}/` });
      expect(res.body).toBe("ok");
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("fails with the given code when the custom CA cannot be loaded", async () => {
    const dir = await mkdtemp(join(tmpdir(), "codex-ca-"));
    try {
      const bad = join(dir, "not-a-cert.pem");
      await writeFile(bad, "hello");
      for (const env of [
        { CODEX_CA_CERTIFICATE: bad },
        { SSL_CERT_FILE: join(dir, "missing.pem") },
      ]) {
        let err: unknown;
        try {
          createLoginHttpClient({ logger: silentLogger, env, errorCode: "revoke_failed" });
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(LoginError);
        expect(err).toMatchObject({ code: "revoke_failed" });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the shared dispatcher", () => {
  it("is created once per environment object, not once per client", () => {
    const created = vi.mocked(createDispatcher).mock.calls.length;
    const env = {};
    createLoginHttpClient({ logger: silentLogger, env, errorCode: "login_failed" });
    createLoginHttpClient({ logger: silentLogger, env, errorCode: "revoke_failed" });
    expect(vi.mocked(createDispatcher).mock.calls.length).toBe(created + 1);
    createLoginHttpClient({ logger: silentLogger, env: {}, errorCode: "login_failed" });
    expect(vi.mocked(createDispatcher).mock.calls.length).toBe(created + 2);
  });
});
