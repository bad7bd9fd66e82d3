/**
 * One run, three figures, for the built `codex-app-server` (dist) over real stdio pipes, each
 * beside a baseline measured in the same run:
 *
 * 1. `account/read` round trips/s, one request in flight, beside a bare NDJSON echo child
 *    (bench/echo-child.mjs: parse a line, write the logged-out answer) on the same client
 *    (target ≥ 0.7x of the echo);
 * 2. the same with 256 requests in flight;
 * 3. time from writing `turn/start` to reading the first `item/agentMessage/delta`, API key
 *    login, against @codex/fake-backend in its own process (bench/backend-process.ts), beside
 *    the backend's own first byte for the same script (a raw `fetch` of `POST /v1/responses`,
 *    time to the first body chunk).
 *
 * Rounds alternate between the baseline and the server so drift hits both. Figures only: nothing
 * is asserted. `BENCH_UPSTREAM_CODEX=/path/to/codex` adds the real `codex app-server` (0.169) as
 * a third column for reference.
 *
 * Env: BENCH_RT (3000 sequential round trips per round), BENCH_RT_PIPELINED (20000 per round),
 * BENCH_ROUNDS (3), BENCH_TURNS (30), BENCH_UPSTREAM_CODEX (unset), BENCH_APP_SERVER_BIN (another
 * build of our bin; default the package's `codex-app-server`).
 */
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { StdioPeer } from "./stdio-peer.js";

const SEQUENTIAL = Number(process.env.BENCH_RT ?? 3_000);
const PIPELINED = Number(process.env.BENCH_RT_PIPELINED ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TURNS = Number(process.env.BENCH_TURNS ?? 30);
const IN_FLIGHT = 256;
/** Round trips each child gets before every measured series (both warmed up the same way). */
const WARM_UP = 2_000;
const API_KEY = "sk-bench-app-server";
const ANSWER = "The quick brown fox jumps over the lazy dog. ".repeat(8);

const packageDir = fileURLToPath(new URL("../", import.meta.url));
const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
  bin?: Record<string, string>;
};
const ourBin =
  process.env.BENCH_APP_SERVER_BIN ??
  join(packageDir, manifest.bin?.["codex-app-server"] ?? "dist/bin.js");
const UPSTREAM = process.env.BENCH_UPSTREAM_CODEX;
if (!existsSync(ourBin)) {
  // turbo builds the package before `bench`: a missing bin means the package has none yet.
  console.log(`app-server bench skipped: ${ourBin} does not exist (no codex-app-server bin built)`);
  if (UPSTREAM === undefined || UPSTREAM === "") process.exit(0);
}
const echoChild = fileURLToPath(new URL("./echo-child.mjs", import.meta.url));

/** A child to measure: its name in the output and how to start it. */
interface Subject {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Needs `initialize` first (the echo child does not care). */
  readonly appServer: boolean;
}
const echo: Subject = {
  name: "bare NDJSON echo child",
  command: process.execPath,
  args: [echoChild],
  appServer: false,
};
const ours: Subject = {
  name: "codex-app-server",
  command: process.execPath,
  args: [ourBin],
  appServer: true,
};
const upstream: Subject | undefined =
  UPSTREAM === undefined || UPSTREAM === ""
    ? undefined
    : { name: "codex app-server 0.169", command: UPSTREAM, args: ["app-server"], appServer: true };
const servers = [
  ...(existsSync(ourBin) ? [ours] : []),
  ...(upstream === undefined ? [] : [upstream]),
];

/** The fake backend process and a way to queue answers on it. */
async function startBackend(): Promise<{
  child: ChildProcess;
  openaiBaseUrl: string;
  enqueue(text: string, chunkSize: number, count: number): Promise<void>;
}> {
  const child = fork(new URL("./backend-process.ts", import.meta.url), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const [first] = (await once(child, "message")) as [{ openaiBaseUrl: string }];
  return {
    child,
    openaiBaseUrl: first.openaiBaseUrl,
    async enqueue(text, chunkSize, count) {
      const acked = once(child, "message");
      child.send({ enqueue: { text, chunkSize, count } });
      await acked;
    },
  };
}

/** A fresh HOME/CODEX_HOME whose config.toml points the provider at the backend. */
async function makeHome(openaiBaseUrl: string): Promise<{ home: string; workdir: string }> {
  const home = await mkdtemp(join(tmpdir(), "app-server-bench-"));
  const workdir = join(home, "work");
  await mkdir(workdir);
  await writeFile(
    join(home, "config.toml"),
    [
      `model = "gpt-5.5"`,
      `model_provider = "bench"`,
      `chatgpt_base_url = "${openaiBaseUrl.replace(/\/v1$/, "/backend-api")}"`,
      "[model_providers.bench]",
      `name = "bench"`,
      `base_url = "${openaiBaseUrl}"`,
      `wire_api = "responses"`,
      "requires_openai_auth = true",
      "supports_websockets = false",
      "request_max_retries = 0",
      "stream_max_retries = 0",
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  return { home, workdir };
}

function childEnv(home: string): NodeJS.ProcessEnv {
  const closed = "http://127.0.0.1:9";
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    LANG: "C.UTF-8",
    HOME: home,
    CODEX_HOME: home,
    HTTP_PROXY: closed,
    HTTPS_PROXY: closed,
    http_proxy: closed,
    https_proxy: closed,
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
  };
}

async function startSubject(subject: Subject, openaiBaseUrl: string) {
  const { home, workdir } = await makeHome(openaiBaseUrl);
  const peer = new StdioPeer(subject.command, subject.args, workdir, childEnv(home));
  if (subject.appServer) {
    await peer.request("initialize", { clientInfo: { name: "codex_bench", version: "0.0.0" } });
    peer.notify("initialized");
  }
  return {
    peer,
    async close() {
      await peer.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;
const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

/** Error answers by message (0.169 sheds load with -32001 "Server overloaded; retry later."). */
type ErrorCounts = Map<string, number>;

async function readOnce(peer: StdioPeer, errors: ErrorCounts): Promise<void> {
  try {
    await peer.request("account/read", { refreshToken: false });
  } catch (error) {
    const message = (error as Error).message;
    errors.set(message, (errors.get(message) ?? 0) + 1);
  }
}

/** `count` round trips, at most `inFlight` outstanding; seconds taken. */
async function roundTrips(
  peer: StdioPeer,
  count: number,
  inFlight: number,
  errors: ErrorCounts,
): Promise<number> {
  const started = process.hrtime.bigint();
  let sent = 0;
  const lane = async () => {
    while (sent < count) {
      sent++;
      await readOnce(peer, errors);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane));
  return seconds(started);
}

function stats(samples: readonly number[]): { median: number; p90: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { median: at(0.5), p90: at(0.9) };
}

const backend = await startBackend();
const subjects = [echo, ...servers];
const live = await Promise.all(subjects.map((s) => startSubject(s, backend.openaiBaseUrl)));
try {
  // 1 + 2. account/read round trips, alternating subjects within each round.
  for (const [index, inFlight, count] of [
    [1, 1, SEQUENTIAL],
    [2, IN_FLIGHT, PIPELINED],
  ] as const) {
    const totals = subjects.map(() => 0);
    const errors = subjects.map((): ErrorCounts => new Map());
    for (const l of live) await roundTrips(l.peer, WARM_UP, inFlight, new Map());
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, l] of live.entries()) {
        const taken = await roundTrips(l.peer, count, inFlight, errors[i] ?? new Map());
        totals[i] = (totals[i] ?? 0) + taken;
      }
    }
    const rate = totals.map((t) => (count * ROUNDS) / t);
    console.log(
      `${index}. account/read round trips over stdio, ${inFlight} in flight (${count} x ${ROUNDS} rounds)`,
    );
    for (const [i, s] of subjects.entries()) {
      const ratio = i === 0 ? "" : `  ${((rate[i] ?? 0) / (rate[0] ?? 1)).toFixed(2)}x of echo`;
      const refused = [...(errors[i] ?? [])].map(([m, n]) => `${n} x "${m}"`).join(", ");
      console.log(
        `   ${s.name.padEnd(24)} ${(rate[i] ?? 0).toFixed(0).padStart(7)} round trips/s${ratio}${refused === "" ? "" : `; error answers: ${refused}`}`,
      );
    }
    console.log("   (target for codex-app-server: >= 0.7x of echo)");
  }

  // 3. turn/start → first delta, beside the backend's first byte for the same script.
  const raw: number[] = [];
  const firstByte = async () => {
    await backend.enqueue(ANSWER, 8, 1);
    const started = process.hrtime.bigint();
    const res = await fetch(`${backend.openaiBaseUrl}/responses`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${API_KEY}`,
        "content-type": "application/json",
        accept: "text/event-stream",
      },
      body: JSON.stringify({
        model: "gpt-5.5",
        input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }],
        stream: true,
      }),
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    raw.push(ms(started));
    while (!(await reader.read()).done) {}
  };
  const turns = new Map<string, number[]>();
  const toDelta: Array<() => Promise<void>> = [];
  for (const [i, s] of subjects.entries()) {
    if (!s.appServer) continue;
    const peer = (live[i] as { peer: StdioPeer }).peer;
    await peer.request("account/login/start", { type: "apiKey", apiKey: API_KEY });
    const thread = (await peer.request("thread/start", {})) as { thread: { id: string } };
    const samples: number[] = [];
    turns.set(s.name, samples);
    toDelta.push(async () => {
      await backend.enqueue(ANSWER, 8, 1);
      let started = 0n;
      let sawDelta = false;
      const done = new Promise<void>((resolve) => {
        peer.onNotification = (n) => {
          if (n.method === "item/agentMessage/delta" && !sawDelta) {
            sawDelta = true;
            samples.push(ms(started));
          }
          if (n.method === "turn/completed") resolve();
        };
      });
      started = process.hrtime.bigint();
      await peer.request("turn/start", {
        threadId: thread.thread.id,
        input: [{ type: "text", text: "hi", text_elements: [] }],
      });
      await done;
      peer.onNotification = () => {};
    });
  }
  await firstByte(); // warm-up
  for (const turn of toDelta) await turn();
  raw.length = 0;
  for (const samples of turns.values()) samples.length = 0;
  for (let i = 0; i < TURNS; i++) {
    await firstByte();
    for (const turn of toDelta) await turn();
  }
  const r = stats(raw);
  console.log(`3. turn/start -> first item/agentMessage/delta (${TURNS} turns, API key, HTTP SSE)`);
  console.log(
    `   backend first byte (raw fetch, same script) median ${r.median.toFixed(2)} ms, p90 ${r.p90.toFixed(2)} ms`,
  );
  for (const [name, samples] of turns) {
    const t = stats(samples);
    console.log(
      `   ${name.padEnd(24)} median ${t.median.toFixed(2)} ms, p90 ${t.p90.toFixed(2)} ms (median ${(t.median - r.median).toFixed(2)} ms over the backend)`,
    );
  }
} finally {
  for (const l of live) await l.close();
  backend.child.disconnect();
}
