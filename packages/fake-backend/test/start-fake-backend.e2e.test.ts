import { connect } from "node:net";
import { captureLogger } from "@codex/wire/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  type FakeBackend,
  FakeBackendError,
  type FakeBackendOptions,
  type ResponseScript,
  scripts,
  startFakeBackend,
} from "../src/index.js";

let backends: FakeBackend[] = [];
afterEach(async () => {
  await Promise.all(backends.map((b) => b.close()));
  backends = [];
});

async function start(options: FakeBackendOptions = {}) {
  const backend = await startFakeBackend(options);
  backends.push(backend);
  return backend;
}

function raw(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(payload));
    let text = "";
    socket.on("data", (chunk) => {
      text += chunk.toString();
    });
    socket.on("end", () => resolve(text));
    socket.on("close", () => resolve(text));
    socket.on("error", reject);
  });
}

describe("startFakeBackend", () => {
  it("exposes the URLs other packages configure", async () => {
    const backend = await start();
    expect(backend.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(backend.issuerUrl).toBe(backend.url);
    expect(backend.chatgptBaseUrl).toBe(`${backend.url}/backend-api`);
    expect(backend.openaiBaseUrl).toBe(`${backend.url}/v1`);
    expect(backend.url.endsWith(`:${backend.port}`)).toBe(true);
  });

  it("fails with listen_failed when the port is taken", async () => {
    const first = await start();
    await expect(startFakeBackend({ port: first.port })).rejects.toMatchObject({
      name: "FakeBackendError",
      code: "listen_failed",
    });
  });

  it("rejects bad options and bad scripts with typed errors and no side effect", async () => {
    await expect(startFakeBackend({ port: 1.5 })).rejects.toBeInstanceOf(FakeBackendError);
    await expect(
      startFakeBackend({ defaultScript: { kind: "nope" } as unknown as ResponseScript }),
    ).rejects.toMatchObject({ code: "invalid_script" });
    const backend = await start();
    expect(() =>
      backend.enqueue(scripts.text("ok"), {
        kind: "stream",
        steps: [{ type: "warp" }],
      } as unknown as ResponseScript),
    ).toThrow(FakeBackendError);
    // Nothing of the failed batch was queued.
    expect(backend.pendingScripts()).toBe(0);
  });

  it("uses the default script when the queue is empty", async () => {
    const backend = await start({ defaultScript: scripts.text("always this") });
    const res = await fetch(`${backend.openaiBaseUrl}/responses`, {
      method: "POST",
      headers: { authorization: "Bearer sk-1", "content-type": "application/json" },
      body: JSON.stringify({ model: "m", input: [{ role: "user", content: "ignored" }] }),
    });
    const text = await res.text();
    expect(text).toContain("always this");
    expect(text).not.toContain("ignored");
  });

  it("survives garbage on the socket and keeps serving", async () => {
    const backend = await start();
    const answer = await raw(backend.port, "NOT HTTP AT ALL\r\n\r\n");
    expect(answer.startsWith("HTTP/1.1 400")).toBe(true);
    const res = await fetch(`${backend.url}/codex/device`);
    expect(res.status).toBe(200);
  });

  it("answers every endpoint's malformed input with a 4xx JSON error, never a 5xx", async () => {
    const backend = await start({ maxBodyBytes: 4096 });
    const { accessToken } = backend.issueTokens();
    const endpoints = [
      "/oauth/token",
      "/oauth/revoke",
      "/api/accounts/deviceauth/usercode",
      "/api/accounts/deviceauth/token",
      "/backend-api/v1/agent/register",
      "/backend-api/v1/agent/agent_x/task/register",
      "/backend-api/v1/agent/%E0%A4%A/task/register",
      "/backend-api/codex/responses",
      "/backend-api/codex/responses/compact",
      "/v1/responses",
      "/v1/responses/compact",
    ];
    const bodies: [string, string | Uint8Array][] = [
      ["application/json", ""],
      ["application/json", "null"],
      ["application/json", "[]"],
      ["application/json", '"text"'],
      ["application/json", '{"model":5,"input":{},"grant_type":[]}'],
      ["application/json", Uint8Array.from([0xff, 0xfe, 0x00, 0x7b])],
      ["application/x-www-form-urlencoded", "%%%&&=="],
      ["text/plain", "hello"],
      ["application/json", `{"x":"${"y".repeat(70_000)}"}`],
    ];
    for (const path of endpoints) {
      for (const [type, body] of bodies) {
        const res = await fetch(`${backend.url}${path}`, {
          method: "POST",
          headers: {
            "content-type": type,
            authorization: `Bearer ${accessToken}`,
            "x-openai-authorization": "biscuit_x",
          },
          body,
        });
        expect(res.status, `${path} with ${type}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${path} with ${type}`).toBeLessThan(500);
        expect(res.headers.get("content-type")).toBe("application/json");
        await res.json();
      }
    }
    expect((await fetch(`${backend.url}/codex/device`)).status).toBe(200);
  });

  it("closes stalled streams and open sockets on close(), idempotently", async () => {
    const backend = await startFakeBackend();
    backend.enqueue(scripts.stall("x"));
    const res = await fetch(`${backend.openaiBaseUrl}/responses`, {
      method: "POST",
      headers: { authorization: "Bearer sk-1", "content-type": "application/json" },
      body: JSON.stringify({ model: "m", input: [] }),
    });
    const reader = res.body!.getReader();
    await reader.read();
    const pending = reader.read();
    const closing = backend.close();
    expect(backend.close()).toBe(closing);
    await closing;
    await expect(pending).rejects.toThrow();
    await expect(fetch(`${backend.url}/codex/device`)).rejects.toThrow();
  });

  it("records state and clears it", async () => {
    const backend = await start();
    await (await fetch(`${backend.url}/nowhere?x=1`)).text();
    expect(backend.state.lastRequest()).toMatchObject({
      endpoint: "not_found",
      path: "/nowhere",
      status: 404,
    });
    expect(backend.state.requestsTo("not_found")).toHaveLength(1);
    backend.state.clear();
    expect(backend.state.requests).toHaveLength(0);
    expect(backend.state.lastRequest()).toBeUndefined();
  });
  it("logs paths it does not serve as warnings and every answer at debug", async () => {
    const { logger, records } = captureLogger();
    const backend = await start({ logger });
    await (await fetch(`${backend.url}/backend-api/new/endpoint?token=x`)).text();
    await (
      await fetch(`${backend.chatgptBaseUrl}/wham/settings/user`, {
        headers: { authorization: `Bearer ${backend.issueTokens().accessToken}` },
      })
    ).text();
    expect(records.filter((r) => r.level === "warn")).toEqual([
      expect.objectContaining({
        msg: "no such endpoint on the fake backend",
        fields: { method: "GET", path: "/backend-api/new/endpoint" },
      }),
    ]);
    expect(records.filter((r) => r.level === "debug").map((r) => r.fields)).toEqual([
      expect.objectContaining({ endpoint: "not_found", status: 404 }),
      expect.objectContaining({ endpoint: "settings.user", status: 200 }),
    ]);
  });

  it("keeps at most maxRecordedRequests entries per state list, dropping the oldest", async () => {
    const backend = await start({ maxRecordedRequests: 3 });
    expect(backend.state.maxRecords).toBe(3);
    for (let i = 0; i < 5; i++) await (await fetch(`${backend.url}/nowhere/${i}`)).text();
    expect(backend.state.requests.map((record) => record.path)).toEqual([
      "/nowhere/2",
      "/nowhere/3",
      "/nowhere/4",
    ]);
    for (let i = 0; i < 4; i++) {
      await (
        await fetch(`${backend.url}/oauth/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: `grant_type=refresh_token&client_id=${backend.clientId}&refresh_token=rt_unknown_${i}`,
        })
      ).text();
    }
    expect(backend.state.tokenGrants).toHaveLength(3);
    expect(backend.state.requests).toHaveLength(3);
    expect(backend.state.droppedRecords).toBe(6 + 1);
    expect(
      await startFakeBackend({ maxRecordedRequests: 0 }).catch((e: unknown) => e),
    ).toMatchObject({
      code: "invalid_options",
    });
  });
});
