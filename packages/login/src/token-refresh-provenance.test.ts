// Where a refresh goes and what it says (upstream 0.169, login-0169.md §2.3): the login's own
// issuer and client id from tokens.oauth_provenance, the env override first, and refresh_reason
// `forced` / `proactive_expiry`; the refresh keeps oauth_provenance and login_owner_id.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHttpClient } from "@codex/http";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { registerSecret } from "../test/support/capture.js";
import { useMswServer } from "../test/support/msw.js";
import { RotatingIssuer } from "../test/support/rotating-issuer.js";
import { makeCodexHome, readFixture } from "../test/support/tmp.js";
import { AuthManager } from "./auth-manager.js";
import type { LoginEnv } from "./login-config.js";
import { ChatGptAuthFixture, encodeAccessToken } from "./testing/index.js";
import { CLIENT_ID } from "./token-endpoint.js";

const { server } = useMswServer();
const NOW = new Date("2026-05-01T12:00:00.000Z");
const NOW_S = NOW.getTime() / 1000;
const PROVENANCE_ISSUER = "https://issuer.provenance.test/iss";
const PROVENANCE_CLIENT = "app_provenance_client";
const OWNER = "VlnDIzi4j2DfH6uRD4vfJxj3P7xsPyvnPh-pTS5IlB4";

interface Seen {
  readonly url: string;
  readonly body: Record<string, unknown>;
}

/** A rotating issuer answering at `url`, recording every request. */
function issuerAt(url: string, seen: Seen[]) {
  const issuer = new RotatingIssuer();
  server.use(
    http.post(url, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      seen.push({ url: request.url, body });
      const reply = issuer.handle(body);
      return HttpResponse.json(reply.body, { status: reply.status });
    }),
  );
  return issuer;
}

async function home(
  options: { provenance?: boolean; expInSeconds?: number; rt?: string } = {},
): Promise<string> {
  const dir = makeCodexHome();
  const fixture = new ChatGptAuthFixture(
    registerSecret(
      encodeAccessToken({
        exp: NOW_S + (options.expInSeconds ?? 3600),
        claims: { extra: { SECRET: "at-prov" } },
      }),
    ),
  )
    .refreshToken(registerSecret(options.rt ?? "rt-prov-SECRET-0"))
    .accountId("ws-1")
    .chatgptAccountId("ws-1")
    .lastRefresh(NOW);
  if (options.provenance !== false) {
    fixture.oauthProvenance(PROVENANCE_ISSUER, PROVENANCE_CLIENT).loginOwnerId(OWNER);
  }
  await fixture.write(dir);
  return dir;
}

function create(codexHome: string, env: LoginEnv = {}): Promise<AuthManager> {
  return AuthManager.create({ codexHome, env, now: () => NOW, http: createHttpClient() });
}

function readTokens(codexHome: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(codexHome, "auth.json"), "utf8")).tokens;
}

describe("refresh routing by tokens.oauth_provenance", () => {
  it("refreshes at the provenance issuer (path kept) with its client id, and keeps both fields", async () => {
    const seen: Seen[] = [];
    issuerAt(`${PROVENANCE_ISSUER}/oauth/token`, seen);
    const codexHome = await home();
    const before = readTokens(codexHome);
    const manager = await create(codexHome);
    await manager.refreshToken();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe(`${PROVENANCE_ISSUER}/oauth/token`);
    expect(Object.entries(seen[0]?.body ?? {}).slice(0, 3)).toEqual([
      ["client_id", PROVENANCE_CLIENT],
      ["grant_type", "refresh_token"],
      ["refresh_reason", "forced"],
    ]);
    const after = readTokens(codexHome);
    expect(after.refresh_token).toBe("rt-SECRET-rotated-1");
    expect(after.oauth_provenance).toEqual(before.oauth_provenance);
    expect(after.login_owner_id).toBe(OWNER);
    expect(Object.keys(after)).toEqual([
      "id_token",
      "access_token",
      "refresh_token",
      "oauth_provenance",
      "login_owner_id",
      "account_id",
    ]);
  });

  it("CODEX_REFRESH_TOKEN_URL_OVERRIDE wins the URL; the provenance client id is still sent", async () => {
    const seen: Seen[] = [];
    const override = "https://override.test/custom/token";
    issuerAt(override, seen);
    const manager = await create(await home(), { CODEX_REFRESH_TOKEN_URL_OVERRIDE: override });
    await manager.refreshToken();
    expect(seen.map((s) => [s.url, s.body.client_id])).toEqual([[override, PROVENANCE_CLIENT]]);
  });

  it("without provenance: the configured issuer and client id, and the refresh adds neither field", async () => {
    const seen: Seen[] = [];
    issuerAt("https://auth.openai.com/oauth/token", seen);
    const codexHome = await home({ provenance: false });
    const manager = await create(codexHome);
    await manager.refreshToken();
    expect(seen.map((s) => s.body.client_id)).toEqual([CLIENT_ID]);
    const after = readTokens(codexHome);
    expect("oauth_provenance" in after).toBe(false);
    expect("login_owner_id" in after).toBe(false);
  });
});

describe("refresh_reason", () => {
  it("is proactive_expiry when auth() refreshes an expired access token", async () => {
    const seen: Seen[] = [];
    issuerAt(`${PROVENANCE_ISSUER}/oauth/token`, seen);
    const manager = await create(await home({ expInSeconds: -60 }));
    await manager.auth();
    expect(seen.map((s) => s.body.refresh_reason)).toEqual(["proactive_expiry"]);
  });

  it("is forced for a 401 recovery", async () => {
    const seen: Seen[] = [];
    issuerAt(`${PROVENANCE_ISSUER}/oauth/token`, seen);
    const manager = await create(await home());
    const recovery = manager.unauthorizedRecovery();
    while (recovery.hasNext() && seen.length === 0) await recovery.next();
    expect(seen.map((s) => s.body.refresh_reason)).toEqual(["forced"]);
  });
});

describe("auth_mode agentIdentity", () => {
  it("loads through the manager and is never refreshed (no request: msw fails unhandled ones)", async () => {
    const codexHome = makeCodexHome();
    const text = readFixture("auth-0169-agent-identity-mode.json");
    writeFileSync(join(codexHome, "auth.json"), text);
    const manager = await create(codexHome);
    expect((await manager.auth())?.apiAuthMode).toBe("agentIdentity");
    await manager.refreshToken();
    expect(readFileSync(join(codexHome, "auth.json"), "utf8")).toBe(text);
  });
});
