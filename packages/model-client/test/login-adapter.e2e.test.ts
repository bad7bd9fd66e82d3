/**
 * `modelAuthFromLogin` over the real `AuthManager` of `@codex/login` against the fake backend:
 * an API-key login, and a ChatGPT login whose 401s run login's recovery (reload, then a refresh
 * at the fake issuer) before the turn goes through.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeBackend, scripts, startFakeBackend } from "@codex/fake-backend";
import { AuthManager } from "@codex/login";
import { ChatGptAuthFixture } from "@codex/login/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createOpenAiProvider,
  ModelClient,
  modelAuthFromLogin,
  type ResponseEvent,
} from "../src/index.js";

let home: string;
let backend: FakeBackend | undefined;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "model-client-login-"));
});
afterEach(async () => {
  await backend?.close();
  backend = undefined;
  rmSync(home, { recursive: true, force: true });
});

const prompt = {
  input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "via login" }] }],
};

async function text(stream: AsyncIterable<ResponseEvent>): Promise<string> {
  let out = "";
  for await (const event of stream) if (event.type === "output_text_delta") out += event.delta;
  return out;
}

async function manager(b: FakeBackend): Promise<AuthManager> {
  return AuthManager.create({
    codexHome: home,
    storeMode: "file",
    env: {},
    issuer: b.issuerUrl,
    refreshTokenUrl: `${b.issuerUrl}/oauth/token`,
  });
}

describe("modelAuthFromLogin with @codex/login's AuthManager", () => {
  it("streams with an API-key login", async () => {
    backend = await startFakeBackend();
    const b = backend;
    const login = await manager(b);
    await login.loginWithApiKey("sk-from-login");
    const client = new ModelClient({
      provider: createOpenAiProvider(b.openaiBaseUrl),
      sessionId: "S",
      threadId: "T",
      installationId: "1111",
      auth: modelAuthFromLogin(login),
      env: {},
      websockets: false,
    });
    expect(await text(client.newSession().stream(prompt, { model: "gpt-test" }))).toBe("via login");
    expect(b.state.lastRequest("openai.responses")?.bearer).toMatchObject({
      kind: "api_key",
      valid: true,
    });
    client.close();
  });

  it("recovers two 401s through reload and a refresh at the issuer, with the account id", async () => {
    backend = await startFakeBackend({ require: { chatgptAccountId: true } });
    const b = backend;
    const tokens = b.issueTokens();
    const login = await manager(b);
    await login.saveAuth(
      new ChatGptAuthFixture(tokens.accessToken)
        .refreshToken(tokens.refreshToken)
        .accountId(b.account.chatgptAccountId)
        .chatgptAccountId(b.account.chatgptAccountId)
        .build(),
    );
    b.enqueue(scripts.unauthorized(), scripts.unauthorized());
    const client = new ModelClient({
      provider: createOpenAiProvider(`${b.chatgptBaseUrl}/codex`),
      sessionId: "S",
      threadId: "T",
      installationId: "1111",
      auth: modelAuthFromLogin(login),
      env: {},
      websockets: false,
    });
    expect(await text(client.newSession().stream(prompt, { model: "gpt-test" }))).toBe("via login");
    const calls = b.state.requestsTo("codex.responses");
    expect(calls.map((r) => r.status)).toEqual([401, 401, 200]);
    expect(calls.at(-1)?.chatgptAccountId).toBe(b.account.chatgptAccountId);
    expect(calls.at(-1)?.headers.authorization).not.toBe(`Bearer ${tokens.accessToken}`);
    expect(b.state.tokenGrants.map((g) => [g.grantType, g.outcome])).toContainEqual([
      "refresh_token",
      "ok",
    ]);
    client.close();
  });
});
