// Two OS processes × 50 forced refreshes against one CODEX_HOME and a real loopback token server
// that rotates refresh tokens and rejects reuse: every refresh token must be spent exactly once.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatGptAuthFixture, encodeAccessToken } from "../src/testing/index.js";
import { registerSecret } from "./support/capture.js";
import { type LoopbackServer, sendJson, startLoopbackServer } from "./support/loopback-server.js";
import { RotatingIssuer } from "./support/rotating-issuer.js";
import { makeCodexHome } from "./support/tmp.js";
import { workerPath } from "./support/workers.js";

const run = promisify(execFile);
const issuer = new RotatingIssuer({ accountId: "ws-x" });
let server: LoopbackServer;
let url: string;

beforeAll(async () => {
  server = await startLoopbackServer(({ body }, res) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    const reply = issuer.handle(parsed);
    sendJson(res, reply.status, reply.body);
  });
  url = `${server.origin}/oauth/token`;
});
afterAll(async () => {
  await server.close();
});

describe("cross-process refresh", () => {
  it("two processes × 50 forced refreshes spend each refresh token exactly once", async () => {
    const home = makeCodexHome();
    const first = registerSecret("rt-xproc-SECRET-0");
    await new ChatGptAuthFixture(
      registerSecret(
        encodeAccessToken({ exp: 4_000_000_000, claims: { extra: { SECRET: "x0" } } }),
      ),
    )
      .refreshToken(first)
      .accountId("ws-x")
      .write(home);
    const worker = workerPath("refresh-worker");
    const child = () =>
      run(process.execPath, [worker, home, url, "50"], {
        cwd: join(import.meta.dirname, ".."),
        env: { ...process.env, CODEX_REFRESH_TOKEN_URL_OVERRIDE: "" },
      });
    const results = await Promise.all([child(), child()]);
    const summaries = results.map((r) => JSON.parse(r.stdout) as { ok: number; errors: string[] });
    expect(summaries).toEqual([
      { ok: 50, errors: [] },
      { ok: 50, errors: [] },
    ]);
    // no refresh token was ever presented twice, and the chain is unbroken
    expect(issuer.reused()).toEqual([]);
    expect(issuer.calls).toBeGreaterThanOrEqual(50);
    expect(issuer.calls).toBeLessThanOrEqual(100);
    expect(issuer.spent.get(first)).toBe(1);
    for (let n = 1; n < issuer.calls; n++) {
      expect(issuer.spent.get(`rt-SECRET-rotated-${n}`)).toBe(1);
    }
    const stored = JSON.parse(readFileSync(join(home, "auth.json"), "utf8"));
    expect(stored.tokens.refresh_token).toBe(`rt-SECRET-rotated-${issuer.calls}`);
  });
});
