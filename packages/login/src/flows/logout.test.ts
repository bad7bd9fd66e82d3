import { access, rm } from "node:fs/promises";
import { join } from "node:path";
import { createHttpClient } from "@codex/http";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { captureLogger } from "../../test/e2e-capture.js";
import { makeChatgptAuth } from "../../test/e2e-chatgpt-auth.js";
import { fakeJwt } from "../../test/e2e-loopback-issuer.js";
import { AuthManager } from "../auth-manager.js";
import { createAuthStorage } from "../storage/create-auth-storage.js";
import { logoutWithRevoke } from "./logout.js";

const REVOKE = "https://auth.openai.com/oauth/revoke";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const homes: string[] = [];
afterEach(async () => {
  for (const h of homes.splice(0)) await rm(h, { recursive: true, force: true });
});

async function managedHome(): Promise<string> {
  const { home } = await makeChatgptAuth("account-123", "user-123");
  homes.push(home);
  return home;
}

function recordRevokes(status = 200) {
  const bodies: unknown[] = [];
  server.use(
    http.post(REVOKE, async ({ request }) => {
      bodies.push(await request.json());
      return status === 200 ? HttpResponse.json({}) : new HttpResponse("down", { status });
    }),
  );
  return bodies;
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

describe("logoutWithRevoke", () => {
  it("revokes the refresh token, then deletes auth.json and reloads", async () => {
    const home = await managedHome();
    const manager = await AuthManager.create({ codexHome: home, env: {} });
    expect(manager.authCached()).toBeDefined();
    const bodies = recordRevokes();
    const result = await logoutWithRevoke(manager, { env: {}, http: createHttpClient() });
    expect(result).toEqual({ removed: true, revoke: "revoked_refresh_token" });
    expect(bodies).toEqual([
      {
        token: "refresh-token",
        token_type_hint: "refresh_token",
        client_id: "app_EMoamEEZ73f0CkXaXp7hrann",
      },
    ]);
    expect(await exists(join(home, "auth.json"))).toBe(false);
    expect(manager.authCached()).toBeUndefined();
  });

  it("still logs out when the revocation fails, and logs the failure", async () => {
    const home = await managedHome();
    const manager = await AuthManager.create({ codexHome: home, env: {} });
    recordRevokes(503);
    const log = captureLogger();
    const result = await logoutWithRevoke(manager, { env: {}, logger: log.logger });
    expect(result).toEqual({ removed: true, revoke: "failed" });
    expect(log.text()).toContain(
      "failed to revoke auth tokens during logout: failed to revoke refresh_token: 503 Service Unavailable: down",
    );
    expect(await exists(join(home, "auth.json"))).toBe(false);
  });

  it("honours CODEX_REVOKE_TOKEN_URL_OVERRIDE", async () => {
    const home = await managedHome();
    const manager = await AuthManager.create({ codexHome: home, env: {} });
    let hits = 0;
    server.use(
      http.post("https://revoke.override.test/r", () => {
        hits++;
        return HttpResponse.json({});
      }),
    );
    await logoutWithRevoke(manager, {
      env: { CODEX_REVOKE_TOKEN_URL_OVERRIDE: "https://revoke.override.test/r" },
    });
    expect(hits).toBe(1);
  });

  it("does not revoke an API key and says nothing was removed when logged out", async () => {
    const { home } = await makeChatgptAuth("a", undefined);
    homes.push(home);
    await createAuthStorage({ codexHome: home }).save({
      authMode: "apikey",
      openaiApiKey: new (await import("@codex/wire")).Secret("sk-test-key-123"),
    });
    const manager = await AuthManager.create({ codexHome: home, env: {} });
    await expect(logoutWithRevoke(manager, { env: {} })).resolves.toEqual({
      removed: true,
      revoke: "nothing_to_revoke",
    });
    await expect(logoutWithRevoke(manager, { env: {} })).resolves.toEqual({
      removed: false,
      revoke: "nothing_to_revoke",
    });
  });

  it.each([[undefined], [null], [{}], [{ authCached: () => undefined }]])(
    "rejects a missing manager (%#) with invalid_argument",
    async (manager) => {
      await expect(
        logoutWithRevoke(manager as unknown as AuthManager, { env: {} }),
      ).rejects.toMatchObject({ code: "invalid_argument" });
    },
  );

  it("logs host-owned tokens out of memory only, without revoking", async () => {
    const home = await managedHome();
    const manager = await AuthManager.create({ codexHome: home, env: {} });
    await manager.loginWithChatgptAuthTokens(
      fakeJwt({ "https://api.openai.com/auth": { chatgpt_account_id: "acct-host" } }),
      "acct-host",
    );
    expect(manager.authCached()?.isExternalChatgptTokens()).toBe(true);
    const result = await logoutWithRevoke(manager, { env: {} });
    expect(result).toEqual({ removed: true, revoke: "nothing_to_revoke" });
    expect(await exists(join(home, "auth.json"))).toBe(true);
    expect(manager.authCached()?.isExternalChatgptTokens()).toBe(false);
  });
});
