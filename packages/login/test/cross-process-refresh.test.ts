// Three OS processes (plain `node`) × 40 forced refreshes against one CODEX_HOME and
// @codex/fake-backend's token endpoint, which rotates refresh tokens and answers a reused one with
// 401 refresh_token_reused (revoking the whole family): every refresh token must be spent exactly
// once. The processes take turns through upstream codex's flock on auth.lock; one that waited
// adopts the rotation the other made instead of spending the rotated token.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { type FakeBackend, startFakeBackend } from "@codex/fake-backend";
import { createHttpClient } from "@codex/http";
import { Secret } from "@codex/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatGptAuthFixture } from "../src/testing/index.js";
import { refreshTokens } from "../src/token-endpoint.js";
import { registerSecret } from "./support/capture.js";
import { makeCodexHome } from "./support/tmp.js";
import { workerPath } from "./support/workers.js";

const run = promisify(execFile);
const PROCESSES = 3;
const ROUNDS = 40;
let backend: FakeBackend;
let url: string;

beforeAll(async () => {
  backend = await startFakeBackend({ account: { chatgptAccountId: "ws-x" } });
  url = `${backend.issuerUrl}/oauth/token`;
});
afterAll(async () => {
  await backend.close();
});

describe("cross-process refresh", () => {
  it(`${PROCESSES} processes × ${ROUNDS} forced refreshes spend each refresh token exactly once`, async () => {
    const home = makeCodexHome();
    const issued = backend.issueTokens();
    const first = registerSecret(issued.refreshToken);
    registerSecret(issued.accessToken);
    await new ChatGptAuthFixture(issued.accessToken)
      .refreshToken(first)
      .accountId("ws-x")
      .write(home);
    const worker = workerPath("refresh-worker");
    const child = () =>
      run(process.execPath, [worker, home, url, String(ROUNDS)], {
        cwd: join(import.meta.dirname, ".."),
        env: { ...process.env, CODEX_REFRESH_TOKEN_URL_OVERRIDE: "" },
      });
    const results = await Promise.all(Array.from({ length: PROCESSES }, () => child()));
    const summaries = results.map((r) => JSON.parse(r.stdout) as { ok: number; errors: string[] });
    expect(summaries).toEqual(
      Array.from({ length: PROCESSES }, () => ({ ok: ROUNDS, errors: [] })),
    );
    // no refresh token was ever presented twice (a reuse answers 401 and revokes the family, so
    // the chain is unbroken exactly when every grant succeeded)
    const grants = backend.state.tokenGrants.filter((g) => g.grantType === "refresh_token");
    expect(grants.map((g) => g.outcome).filter((o) => o !== "ok")).toEqual([]);
    expect(grants.length).toBeGreaterThanOrEqual(ROUNDS);
    expect(grants.length).toBeLessThanOrEqual(PROCESSES * ROUNDS);
    // the credential flocks were never broken: the lock files are still empty
    expect(readFileSync(join(home, "auth.lock"), "utf8")).toBe("");
    expect(readFileSync(join(home, "auth.json.lock"), "utf8")).toBe("");
    // the stored refresh token is the newest one: spending it once more still succeeds, and
    // spending the first one again is a reuse
    const stored = JSON.parse(readFileSync(join(home, "auth.json"), "utf8"));
    expect(stored.tokens.refresh_token).not.toBe(first);
    const http = createHttpClient();
    const next = await refreshTokens(new Secret(stored.tokens.refresh_token), { http, url });
    registerSecret(next.refreshToken?.reveal() ?? "");
    expect(backend.state.tokenGrants.at(-1)).toMatchObject({ outcome: "ok" });
    await expect(refreshTokens(new Secret(first), { http, url })).rejects.toMatchObject({
      code: "refresh_token_reused",
    });
  }, 120_000); // a bound on a loaded machine, not a speed target
});
