import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fakeJwt } from "../../test/e2e-loopback-issuer.js";
import { captureError, registerSecret } from "../../test/support/capture.js";
import { LoginError } from "../errors.js";
import {
  type DeviceCodeLoginOptions,
  MIN_DEVICE_POLL_INTERVAL_MS,
  parseDeviceInterval,
  startDeviceCodeLogin,
} from "./device-code-login.js";

const ISSUER = "https://auth.device.test";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "codex-device-"));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const ID_TOKEN = registerSecret(
  fakeJwt({
    email: "dev@example.com",
    "https://api.openai.com/auth": { chatgpt_account_id: "ws-dev", chatgpt_plan_type: "pro" },
  }),
);
const ACCESS = registerSecret("at-device-secret-1");
const REFRESH = registerSecret("rt-device-secret-1");
const AUTH_CODE = registerSecret("authcode-device-1");
const VERIFIER = registerSecret("verifier-device-1");
const DEVICE_ID = registerSecret("devauth-id-secret");

/** A clock that only moves when the flow sleeps. */
function fakeTime() {
  let t = Date.parse("2026-04-20T08:00:00Z");
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(t),
    sleep: async (ms: number, signal: AbortSignal) => {
      if (signal.aborted) throw signal.reason;
      sleeps.push(ms);
      t += ms;
    },
  };
}

interface Script {
  usercode?: () => Response;
  polls: Array<() => Response>;
  token?: (form: URLSearchParams) => Response;
}

function mount(script: Script) {
  const seen = { usercode: [] as unknown[], polls: [] as unknown[], token: [] as string[] };
  let i = 0;
  server.use(
    http.post(`${ISSUER}/api/accounts/deviceauth/usercode`, async ({ request }) => {
      seen.usercode.push(await request.json());
      return (
        script.usercode?.() ??
        HttpResponse.json({ device_auth_id: DEVICE_ID, user_code: "ABCD-1234", interval: "5" })
      );
    }),
    http.post(`${ISSUER}/api/accounts/deviceauth/token`, async ({ request }) => {
      seen.polls.push(await request.json());
      const step = script.polls[Math.min(i++, script.polls.length - 1)];
      return step ? step() : new HttpResponse(null, { status: 500 });
    }),
    http.post(`${ISSUER}/oauth/token`, async ({ request }) => {
      const body = await request.text();
      seen.token.push(body);
      return (
        script.token?.(new URLSearchParams(body)) ??
        HttpResponse.json({ id_token: ID_TOKEN, access_token: ACCESS, refresh_token: REFRESH })
      );
    }),
  );
  return seen;
}

const pending = () => HttpResponse.json({ error: "authorization_pending" }, { status: 403 });
const approved = () =>
  HttpResponse.json({
    authorization_code: AUTH_CODE,
    code_challenge: "unused",
    code_verifier: VERIFIER,
  });

async function rejection(p: Promise<unknown>): Promise<LoginError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  captureError(err);
  expect(err).toBeInstanceOf(LoginError);
  return err as LoginError;
}

describe("startDeviceCodeLogin", () => {
  it("requests a user code, polls until approved, exchanges and saves with a null key", async () => {
    const seen = mount({
      polls: [pending, () => new HttpResponse(null, { status: 404 }), approved],
    });
    const time = fakeTime();
    const login = await startDeviceCodeLogin({ codexHome: home, issuer: `${ISSUER}/`, ...time });
    expect(login.verificationUrl).toBe(`${ISSUER}/codex/device`);
    expect(login.userCode).toBe("ABCD-1234");
    const result = await login.done;
    expect(result.accountId).toBe("ws-dev");
    expect(result.planType).toBe("pro");
    expect(time.sleeps).toEqual([5000, 5000]);
    expect(seen.usercode).toEqual([{ client_id: "app_EMoamEEZ73f0CkXaXp7hrann" }]);
    expect(seen.polls[0]).toEqual({ device_auth_id: DEVICE_ID, user_code: "ABCD-1234" });
    const form = new URLSearchParams(seen.token[0]);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: "authorization_code",
      code: AUTH_CODE,
      redirect_uri: `${ISSUER}/deviceauth/callback`,
      client_id: "app_EMoamEEZ73f0CkXaXp7hrann",
      code_verifier: VERIFIER,
    });
    const file = join(home, "auth.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, "utf8"));
    expect(saved).toMatchObject({
      auth_mode: "chatgpt",
      OPENAI_API_KEY: null,
      tokens: { access_token: ACCESS, refresh_token: REFRESH, account_id: "ws-dev" },
      last_refresh: "2026-04-20T08:00:10Z",
    });
  });

  it("accepts the `usercode` spelling and an absent interval, still waiting 1 s between polls", async () => {
    mount({
      usercode: () => HttpResponse.json({ device_auth_id: DEVICE_ID, usercode: "WXYZ" }),
      polls: [pending, approved],
    });
    const time = fakeTime();
    const login = await startDeviceCodeLogin({ codexHome: home, issuer: ISSUER, ...time });
    expect(login.userCode).toBe("WXYZ");
    await login.done;
    expect(time.sleeps).toEqual([MIN_DEVICE_POLL_INTERVAL_MS]);
  });

  it("honours slow_down by adding 5 s to the interval (beyond upstream)", async () => {
    mount({
      polls: [
        () => HttpResponse.json({ error: "slow_down" }, { status: 400 }),
        pending,
        () => HttpResponse.json({ error: "slow_down", interval: 30 }, { status: 429 }),
        approved,
      ],
    });
    const time = fakeTime();
    const login = await startDeviceCodeLogin({ codexHome: home, issuer: ISSUER, ...time });
    await login.done;
    expect(time.sleeps).toEqual([10_000, 10_000, 30_000]);
  });

  it("reports device_code_unsupported when the issuer answers 404", async () => {
    mount({ usercode: () => new HttpResponse("nope", { status: 404 }), polls: [] });
    const err = await rejection(startDeviceCodeLogin({ codexHome: home, issuer: ISSUER }));
    expect(err.code).toBe("device_code_unsupported");
    expect(err.message).toBe(
      "device code login is not enabled for this Codex server. Use the browser login or verify the server URL.",
    );
  });

  it.each([
    [
      "a 500",
      () => new HttpResponse("boom", { status: 500 }),
      "device code request failed with status 500",
    ],
    [
      "a reply without ids",
      () => HttpResponse.json({ interval: "5" }),
      "device code reply lacks device_auth_id or user_code",
    ],
    [
      "HTML",
      () => new HttpResponse("<html>", { status: 200 }),
      "device code reply lacks device_auth_id or user_code",
    ],
    [
      "a bad interval",
      () => HttpResponse.json({ device_auth_id: "d", user_code: "u", interval: "soon" }),
      "device code reply has an invalid interval",
    ],
  ])(
    "rejects %s from the user-code endpoint with device_code_failed",
    async (_n, reply, message) => {
      mount({ usercode: reply, polls: [] });
      const err = await rejection(startDeviceCodeLogin({ codexHome: home, issuer: ISSUER }));
      expect(err.code).toBe("device_code_failed");
      expect(err.message).toBe(message);
    },
  );

  it("gives up after 15 minutes, sleeping at most the remaining time", async () => {
    mount({
      usercode: () =>
        HttpResponse.json({ device_auth_id: DEVICE_ID, user_code: "U", interval: "400" }),
      polls: [pending],
    });
    const time = fakeTime();
    const login = await startDeviceCodeLogin({ codexHome: home, issuer: ISSUER, ...time });
    const err = await rejection(login.done);
    expect(err.code).toBe("device_code_timeout");
    expect(err.message).toBe("device auth timed out after 15 minutes");
    expect(time.sleeps).toEqual([400_000, 400_000, 100_000]);
    await expect(stat(join(home, "auth.json"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("fails on an unexpected poll status", async () => {
    mount({ polls: [() => new HttpResponse("err", { status: 502 })] });
    const login = await startDeviceCodeLogin({ codexHome: home, issuer: ISSUER, ...fakeTime() });
    const err = await rejection(login.done);
    expect(err).toMatchObject({
      code: "device_code_failed",
      status: 502,
      message: "device auth failed with status 502",
    });
  });

  it("is cancellable through an AbortSignal while polling; nothing is written", async () => {
    mount({ polls: [pending] });
    const controller = new AbortController();
    let polls = 0;
    const time = fakeTime();
    const login = await startDeviceCodeLogin({
      codexHome: home,
      issuer: ISSUER,
      signal: controller.signal,
      now: time.now,
      sleep: async (ms, signal) => {
        if (++polls === 3) controller.abort();
        await time.sleep(ms, signal);
      },
    });
    const err = await rejection(login.done);
    expect(err.code).toBe("login_cancelled");
    expect(polls).toBe(3);
    await expect(stat(join(home, "auth.json"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("cancel() stops a login waiting in a real sleep", async () => {
    mount({ polls: [pending] });
    const login = await startDeviceCodeLogin({ codexHome: home, issuer: ISSUER });
    login.cancel();
    expect((await rejection(login.done)).code).toBe("login_cancelled");
  });

  it("refuses an already aborted signal", async () => {
    const err = await rejection(
      startDeviceCodeLogin({ codexHome: home, issuer: ISSUER, signal: AbortSignal.abort() }),
    );
    expect(err.code).toBe("login_cancelled");
  });

  it("prefixes exchange failures with `device code exchange failed`", async () => {
    mount({
      polls: [approved],
      token: () =>
        HttpResponse.json({ error: { message: "code expired", code: "x" } }, { status: 400 }),
    });
    const login = await startDeviceCodeLogin({ codexHome: home, issuer: ISSUER, ...fakeTime() });
    const err = await rejection(login.done);
    expect(err.code).toBe("token_exchange_failed");
    expect(err.message).toBe(
      "device code exchange failed: token endpoint returned status 400 Bad Request: code expired",
    );
  });

  it("checks the workspace restriction before persisting", async () => {
    mount({ polls: [approved] });
    const login = await startDeviceCodeLogin({
      codexHome: home,
      issuer: ISSUER,
      forcedWorkspaceIds: ["ws-only"],
      ...fakeTime(),
    });
    const err = await rejection(login.done);
    expect(err.code).toBe("login_restricted");
    expect(err.message).toBe("Login is restricted to workspace id(s) ws-only.");
    await expect(stat(join(home, "auth.json"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("rejects bad options with invalid_argument", async () => {
    expect((await rejection(startDeviceCodeLogin({ codexHome: "" }))).code).toBe(
      "invalid_codex_home",
    );
    expect((await rejection(startDeviceCodeLogin({ codexHome: home, maxWaitMs: -1 }))).code).toBe(
      "invalid_argument",
    );
    for (const bad of [null, "x", { codexHome: home, forcedWorkspaceIds: "ws" }]) {
      expect(
        (await rejection(startDeviceCodeLogin(bad as unknown as DeviceCodeLoginOptions))).code,
      ).toBe("invalid_argument");
    }
    for (const issuer of ["ftp://issuer.test", "not a url", ""]) {
      expect((await rejection(startDeviceCodeLogin({ codexHome: home, issuer }))).code).toBe(
        "invalid_argument",
      );
    }
  });
});

describe("parseDeviceInterval", () => {
  it.each([
    [undefined, 0],
    ["5", 5000],
    [" 7 ", 7000],
    ["", 0],
    [3, 3000],
  ])("%j → %d ms", (input, ms) => {
    expect(parseDeviceInterval(input)).toBe(ms);
  });
  it.each([["x"], [-1], [{}], [true]])("rejects %j", (input) => {
    expect(() => parseDeviceInterval(input)).toThrow(LoginError);
  });
});
