import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HttpResponse, http, passthrough } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { captureLogger, errorText, leakedSecrets } from "../../test/e2e-capture.js";
import { fakeJwt } from "../../test/e2e-loopback-issuer.js";
import { registerSecret } from "../../test/support/capture.js";
import type { AuthDotJson } from "../auth-dot-json.js";
import { LoginError } from "../errors.js";
import type { AuthStorage } from "../storage/auth-storage.js";
import { startLoginServer } from "./login-server.js";

// The issuer is mocked with msw; the login server itself is real and reached over loopback.
const ISSUER = "https://auth.msw.test";
const server = setupServer(
  http.all(/^http:\/\/(127\.0\.0\.1|localhost):\d+\//, () => passthrough()),
);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "codex-login-msw-"));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const CODE = registerSecret("msw-authorization-code");
const ACCESS = registerSecret("msw-access-token-value");
const REFRESH = registerSecret("msw-refresh-token-value");
const ID = registerSecret(
  fakeJwt({
    email: "m@example.com",
    "https://api.openai.com/auth": {
      chatgpt_account_id: "ws-msw",
      is_org_owner: true,
      completed_platform_onboarding: false,
      organization_id: "org-1",
    },
  }),
);

function issuerReturnsTokens(): string[] {
  const forms: string[] = [];
  server.use(
    http.post(`${ISSUER}/oauth/token`, async ({ request }) => {
      const form = await request.text();
      forms.push(form);
      if (form.includes("token-exchange"))
        return HttpResponse.json({ error: "x" }, { status: 400 });
      return HttpResponse.json({ id_token: ID, access_token: ACCESS, refresh_token: REFRESH });
    }),
  );
  return forms;
}

async function callback(port: number, query: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/auth/callback?${query}`, { redirect: "manual" });
}

describe("startLoginServer (msw issuer)", () => {
  it("exchanges the code, persists, redirects to /success with setup info, never logs secrets", async () => {
    const forms = issuerReturnsTokens();
    const log = captureLogger();
    const login = await startLoginServer({
      codexHome: home,
      issuer: ISSUER,
      port: 0,
      forceState: "fixed-state-value",
      logger: log.logger,
    });
    const res = await callback(login.port, `code=${CODE}&state=fixed-state-value`);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location") ?? "");
    expect(location.origin).toBe(`http://localhost:${login.port}`);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      needs_setup: "true",
      org_id: "org-1",
      project_id: "",
      plan_type: "",
      platform_url: "https://platform.api.openai.org",
    });
    const page = await fetch(
      `http://127.0.0.1:${login.port}${location.pathname}${location.search}`,
    );
    expect(await page.text()).toContain("Finish setting up your API organization");
    const result = await login.done;
    expect(result.auth.openaiApiKey).toBeNull();
    expect(forms).toHaveLength(2);
    expect(leakedSecrets(log.text(), [CODE, ACCESS, REFRESH, ID, "fixed-state-value"])).toEqual([]);
    expect(log.text()).toContain('"has_code":true');
  });

  it("ends with persist_failed when the store cannot be written", async () => {
    issuerReturnsTokens();
    const broken: AuthStorage = {
      mode: "file",
      load: async () => undefined,
      save: async (_auth: AuthDotJson) => {
        throw new Error("disk full");
      },
      delete: async () => false,
    };
    const login = await startLoginServer({
      codexHome: home,
      issuer: ISSUER,
      port: 0,
      forceState: "s1",
      storage: broken,
    });
    const res = await callback(login.port, `code=${CODE}&state=s1`);
    expect(res.headers.get("connection")).toBe("close");
    expect(await res.text()).toContain(
      "Sign-in completed but credentials could not be saved locally.",
    );
    const err = await login.done.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "persist_failed" });
    expect(leakedSecrets(errorText(err), [CODE, ACCESS, REFRESH, ID])).toEqual([]);
  });

  it("reports a missing code and an OAuth error description", async () => {
    const a = await startLoginServer({ codexHome: home, issuer: ISSUER, port: 0, forceState: "s" });
    const res = await callback(a.port, "state=s");
    expect(await res.text()).toContain(
      "Missing authorization code. Sign-in could not be completed.",
    );
    await expect(a.done).rejects.toMatchObject({ code: "login_failed" });
    const b = await startLoginServer({ codexHome: home, issuer: ISSUER, port: 0, forceState: "s" });
    const res2 = await callback(
      b.port,
      "state=s&error=server_error&error_description=%3Cb%3Ebroken",
    );
    expect(await res2.text()).toContain("Sign-in failed: &lt;b&gt;broken");
    await expect(b.done).rejects.toMatchObject({
      code: "login_failed",
      message: "Sign-in failed: <b>broken",
    });
  });

  it("rejects a missing state before looking at anything else", async () => {
    const login = await startLoginServer({ codexHome: home, issuer: ISSUER, port: 0 });
    const res = await callback(login.port, `code=${CODE}`);
    expect(res.status).toBe(400);
    login.cancel();
    await expect(login.done).rejects.toBeInstanceOf(LoginError);
  });

  it.each([[{ codexHome: "" }], [{ codexHome: 5 }]])(
    "rejects a bad home %j with invalid_codex_home",
    async (options) => {
      await expect(
        startLoginServer(options as unknown as Parameters<typeof startLoginServer>[0]),
      ).rejects.toMatchObject({ code: "invalid_codex_home" });
    },
  );

  it.each([
    [{ codexHome: "/tmp/x", port: 70000 }],
    [{ codexHome: "/tmp/x", port: 1.5 }],
    [{ codexHome: "/tmp/x", timeoutMs: -1 }],
    [{ codexHome: "/tmp/x", issuer: "ftp://issuer" }],
    [{ codexHome: "/tmp/x", issuer: "not a url" }],
    [{ codexHome: "/tmp/x", forcedWorkspaceIds: "ws" }],
    [{ codexHome: "/tmp/x", forcedWorkspaceIds: [1] }],
    [{ codexHome: "/tmp/x", forceState: "" }],
    [null],
    ["options"],
  ])("rejects bad options %j with invalid_argument", async (options) => {
    await expect(
      startLoginServer(options as unknown as Parameters<typeof startLoginServer>[0]),
    ).rejects.toMatchObject({ code: "invalid_argument" });
  });
});
