#!/usr/bin/env node
// `pnpm bench` (turbo runs it after building): wall time of `codex --version` and
// `codex login status` (API-key auth.json) for our built CLI, beside `node -e 0` (the floor of any
// Node program) and the real upstream codex 0.169.0 — its native binary and its npm-installed
// command (`node …/@openai/codex/bin/codex.js`, which spawns the native binary) — in one run,
// interleaved round by round so machine load hits every column alike. The upstream columns are
// skipped with a printed reason when the cached binary is absent (`pnpm --filter
// @codex/conformance ensure-codex` installs it). Target: our `login status` no slower than the
// npm-installed upstream command.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROUNDS = Number(process.env.CODEX_BENCH_ROUNDS ?? 15);
const OUR_BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const VERSION = "0.169.0";
const cacheRoot = join(
  process.env.XDG_CACHE_HOME || join(homedir(), ".cache"),
  "codex-conformance",
  VERSION,
);
const upstreamNative =
  process.env.CODEX_CONFORMANCE_BIN ||
  join(
    cacheRoot,
    "node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex",
  );
const upstreamNpm = join(cacheRoot, "node_modules/@openai/codex/bin/codex.js");

if (!existsSync(OUR_BIN)) {
  console.error(`${OUR_BIN} is missing: run \`pnpm --filter @codex/cli build\` first`);
  process.exit(1);
}

const home = mkdtempSync(join(tmpdir(), "codex-cli-bench-"));
writeFileSync(
  join(home, "auth.json"),
  '{\n  "auth_mode": "apikey",\n  "OPENAI_API_KEY": "sk-bench-abcdefghijk12345"\n}',
  { mode: 0o600 },
);
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, CODEX_HOME: home };

/** Columns: name → argv prefix (the command is appended). */
const columns = [["ours", [process.execPath, OUR_BIN]]];
const skipped = [];
if (process.platform === "linux" && process.arch === "x64" && existsSync(upstreamNative)) {
  columns.push(["upstream native", [upstreamNative]]);
  if (existsSync(upstreamNpm)) columns.push(["upstream npm", [process.execPath, upstreamNpm]]);
  else skipped.push(`upstream npm: ${upstreamNpm} not found`);
} else {
  skipped.push(
    `upstream: no cached codex ${VERSION} binary at ${upstreamNative} (run \`pnpm --filter @codex/conformance ensure-codex\`)`,
  );
}

function time(argv) {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { env, stdio: ["ignore", "pipe", "pipe"] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw r.error;
  return { ms, status: r.status };
}

const commands = [
  ["--version", ["--version"], 0],
  ["login status", ["login", "status"], 0],
];
const samples = new Map();
const baseline = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    baseline.push(time([process.execPath, "-e", "0"]).ms);
    for (const [label, args, expected] of commands) {
      for (const [name, prefix] of columns) {
        const { ms, status } = time([...prefix, ...args]);
        if (status !== expected)
          throw new Error(`${name} ${label} exited ${status}, expected ${expected}`);
        const key = `${label}|${name}`;
        samples.set(key, [...(samples.get(key) ?? []), ms]);
      }
    }
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const p90 = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.9))];
};
const fmt = (xs) => `${median(xs).toFixed(0)} ms (p90 ${p90(xs).toFixed(0)})`.padEnd(22);

console.log(`codex CLI startup, ${ROUNDS} rounds, median wall time (p90); node ${process.version}`);
console.log(`  node -e 0: ${fmt(baseline)}`);
console.log(`  ${"command".padEnd(14)}${columns.map(([n]) => n.padEnd(22)).join("")}`);
for (const [label] of commands) {
  console.log(
    `  ${label.padEnd(14)}${columns.map(([n]) => fmt(samples.get(`${label}|${n}`))).join("")}`,
  );
}
for (const reason of skipped) console.log(`  skipped ${reason}`);
const ours = samples.get("login status|ours");
const npm = samples.get("login status|upstream npm");
if (npm) {
  const verdict = median(ours) <= median(npm) ? "meets" : "misses";
  console.log(
    `  target (our login status no slower than upstream's npm command): ${verdict} (${median(ours).toFixed(0)} vs ${median(npm).toFixed(0)} ms)`,
  );
}
