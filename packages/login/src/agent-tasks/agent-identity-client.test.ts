import { buildAbom } from "@codex/agent-identity";
import { createHttpClient } from "@codex/http";
import { Secret } from "@codex/wire";
import { delay, HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { captureError, registerSecret } from "../../test/support/capture.js";
import { LoginError } from "../errors.js";
import {
  AGENT_IDENTITY_TIMEOUT_MS,
  mintHumanBiscuit,
  registerAgent,
  registerAgentTask,
} from "./agent-identity-client.js";

const BASE = "https://chatgpt.client.test/backend-api";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const common = { http: createHttpClient(), chatgptBaseUrl: BASE };

describe("agent identity HTTP calls", () => {
  it("uses a 15 s deadline by default", () => {
    expect(AGENT_IDENTITY_TIMEOUT_MS).toBe(15_000);
  });

  it("mints a biscuit with the four upstream headers", async () => {
    let seen: Record<string, string | null> = {};
    server.use(
      http.get(`${BASE}/authenticate_app_v2`, ({ request }) => {
        const h = request.headers;
        seen = {
          authorization: h.get("authorization"),
          id: h.get("x-request-id"),
          method: h.get("x-original-method"),
          url: h.get("x-original-url"),
        };
        return new HttpResponse(null, { headers: { "x-openai-authorization": "bisc" } });
      }),
    );
    const biscuit = await mintHumanBiscuit({
      ...common,
      accessToken: new Secret("at-1"),
      targetMethod: "POST",
      targetUrl: `${BASE}/v1/agent/register`,
      randomBytes: (n) => new Uint8Array(n),
    });
    expect(biscuit.reveal()).toBe("bisc");
    expect(seen).toEqual({
      authorization: "Bearer at-1",
      id: `codex-agent-identity-${"A".repeat(22)}`,
      method: "POST",
      url: `${BASE}/v1/agent/register`,
    });
  });

  it("times out with a typed error naming the URL", async () => {
    server.use(
      http.get(`${BASE}/authenticate_app_v2`, async () => {
        await delay("infinite");
        return new HttpResponse(null);
      }),
    );
    const err = await mintHumanBiscuit({
      ...common,
      timeoutMs: 5,
      accessToken: new Secret("at-1"),
      targetMethod: "POST",
      targetUrl: "x",
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoginError);
    expect((err as LoginError).code).toBe("agent_identity_failed");
    expect((err as Error).message).toBe(
      `failed to send agent identity biscuit request to ${BASE}/authenticate_app_v2 (timeout)`,
    );
  });

  it("scrubs the bearer token and the biscuit from error bodies that echo them", async () => {
    const token = registerSecret("at-echoed-SECRET-1");
    const biscuit = registerSecret("biscuit-echoed-SECRET-1");
    server.use(
      http.get(`${BASE}/authenticate_app_v2`, ({ request }) =>
        HttpResponse.text(`rejected ${request.headers.get("authorization")?.slice(7)}`, {
          status: 401,
        }),
      ),
      http.post(`${BASE}/v1/agent/register`, ({ request }) =>
        HttpResponse.text(`bad biscuit ${request.headers.get("x-openai-authorization")}`, {
          status: 403,
        }),
      ),
      http.post(`${BASE}/v1/agent/rt/task/register`, ({ request }) =>
        HttpResponse.json(
          { error: request.headers.get("x-openai-authorization") },
          { status: 400 },
        ),
      ),
    );
    const errors: LoginError[] = await Promise.all([
      mintHumanBiscuit({
        ...common,
        accessToken: new Secret(token),
        targetMethod: "POST",
        targetUrl: "x",
      }).then(
        () => {
          throw new Error("expected a failure");
        },
        (e: unknown) => e as LoginError,
      ),
      registerAgent({
        ...common,
        biscuit: new Secret(biscuit),
        abom: buildAbom("cli"),
        agentPublicKey: "ssh-ed25519 AAAA",
      }).then(
        () => {
          throw new Error("expected a failure");
        },
        (e: unknown) => e as LoginError,
      ),
      registerAgentTask({
        ...common,
        biscuit: new Secret(biscuit),
        agentRuntimeId: "rt",
        signature: "sig",
        timestamp: "2026-01-01T00:00:00Z",
      }).then(
        () => {
          throw new Error("expected a failure");
        },
        (e: unknown) => e as LoginError,
      ),
    ]);
    for (const err of errors) captureError(err);
    expect(errors.map((e) => e.message)).toEqual([
      `agent identity biscuit minting failed with status 401 from ${BASE}/authenticate_app_v2: rejected [REDACTED]`,
      `agent identity registration failed with status 403 from ${BASE}/v1/agent/register: bad biscuit [REDACTED]`,
      `agent task registration failed with status 400 from ${BASE}/v1/agent/rt/task/register: {"error":"[REDACTED]"}`,
    ]);
    expect(errors.every((e) => e.code === "agent_identity_failed")).toBe(true);
  });

  it("registers an agent and a task", async () => {
    server.use(
      http.post(`${BASE}/v1/agent/register`, async ({ request }) =>
        HttpResponse.json({ agent_runtime_id: "rt", echo: await request.json() }),
      ),
      http.post(`${BASE}/v1/agent/rt/task/register`, async ({ request }) => {
        const body = (await request.json()) as Record<string, string>;
        return HttpResponse.json({ encrypted_task_id: `${body.signature}|${body.timestamp}` });
      }),
    );
    const biscuit = new Secret("b");
    await expect(
      registerAgent({
        ...common,
        biscuit,
        abom: buildAbom("vscode"),
        agentPublicKey: "ssh-ed25519 AAAA",
      }),
    ).resolves.toBe("rt");
    await expect(
      registerAgentTask({
        ...common,
        biscuit,
        agentRuntimeId: "rt",
        signature: "sig",
        timestamp: "ts",
      }),
    ).resolves.toBe("sig|ts");
  });
});
