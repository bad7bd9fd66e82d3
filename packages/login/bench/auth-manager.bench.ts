// pnpm --filter @codex/login bench
// Warm `auth()` on a loaded manager, and a cold auth.json load, each printed beside a baseline
// measured in the same run (a bare property read / a bare readFile + JSON.parse).
import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AuthManager } from "../src/auth-manager.js";
import { CodexAuth } from "../src/codex-auth.js";
import { FileAuthStorage } from "../src/storage/file-auth-storage.js";
import { ChatGptAuthFixture, encodeAccessToken } from "../src/testing/index.js";

async function once(iterations: number, fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn();
  return Number(process.hrtime.bigint() - start) / iterations;
}

/** Interleaves the candidates over several rounds (after a warm-up) and keeps each one's best round. */
async function compare(iterations: number, fns: Array<() => unknown>): Promise<number[]> {
  for (const fn of fns) await once(Math.min(1000, iterations), fn);
  const best = fns.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < 5; round++) {
    for (const [i, fn] of fns.entries())
      best[i] = Math.min(best[i] as number, await once(iterations, fn));
  }
  return best;
}

function row(name: string, ns: number, baselineNs: number): string {
  const us = (ns / 1000).toFixed(2).padStart(9);
  const ops = Math.round(1e9 / ns)
    .toLocaleString("en-US")
    .padStart(12);
  return `${name.padEnd(44)} ${us} µs/op ${ops} ops/s   ${(ns / baselineNs).toFixed(1)}× baseline`;
}

const home = mkdtempSync(join(tmpdir(), "codex-login-bench-"));
try {
  await new ChatGptAuthFixture(encodeAccessToken({ exp: 4_000_000_000 }))
    .refreshToken("rt-bench")
    .accountId("ws-bench")
    .chatgptAccountId("ws-bench")
    .email("bench@example.com")
    .planType("pro")
    .write(home);
  const manager = await AuthManager.create({ codexHome: home, env: {} });
  const path = join(home, "auth.json");
  const storage = new FileAuthStorage(home);
  const cachedObject = { auth: manager.authCached() };

  const [warmBase, warm] = (await compare(50_000, [
    async () => cachedObject.auth,
    () => manager.auth(),
  ])) as [number, number];
  const [coldBase, coldLoad, coldManager] = (await compare(1_000, [
    async () => JSON.parse(await readFile(path, "utf8")),
    async () => {
      const dot = await storage.load();
      return dot && CodexAuth.fromAuthDotJson(dot, storage);
    },
    () => AuthManager.create({ codexHome: home, env: {} }),
  ])) as [number, number, number];

  console.log("@codex/login bench (Node %s, %s)", process.versions.node, process.arch);
  console.log(row("baseline: await a cached property", warmBase, warmBase));
  console.log(row("AuthManager.auth() warm (exp far away)", warm, warmBase));
  console.log(row("baseline: readFile + JSON.parse of auth.json", coldBase, coldBase));
  console.log(row("cold load: FileAuthStorage.load + CodexAuth", coldLoad, coldBase));
  console.log(row("cold load: AuthManager.create", coldManager, coldBase));
} finally {
  rmSync(home, { recursive: true, force: true });
}
