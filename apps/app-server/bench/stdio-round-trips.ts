/**
 * Benchmark of the built codex-app-server over a real stdio pipe, each figure beside a baseline
 * measured in the same run:
 * - `account/read` round trips/s, one at a time and 256 in flight, beside a bare NDJSON echo
 *   child (parse the line, write a reply) — the issue's target is >= 0.7x the echo;
 * - time from `turn/start` to the first `item/agentMessage/delta`, beside the fake backend's own
 *   time to the first byte of the same Responses stream.
 *
 *   pnpm --filter @codex/app-server build && pnpm --filter @codex/app-server bench
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { scripts, startFakeBackend } from "@codex/fake-backend";

const BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const ROUND_TRIPS = 2_000;
const IN_FLIGHT = 256;

const ECHO = `
const rl = require("node:readline").createInterface({ input: process.stdin });
rl.on("line", (line) => {
  const m = JSON.parse(line);
  process.stdout.write(JSON.stringify({ id: m.id, result: { account: null, userId: null, requiresOpenaiAuth: true, workspaceRouting: null } }) + "\\n");
});`;

type Reply = Record<string, unknown>;

class Line {
  readonly #waiting = new Map<unknown, (reply: Reply) => void>();
  readonly #watchers: Array<(message: Reply) => boolean> = [];
  #next = 1;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on("line", (line) => {
      const message = JSON.parse(line) as Reply;
      const resolve = "method" in message ? undefined : this.#waiting.get(message.id);
      if (resolve !== undefined) {
        this.#waiting.delete(message.id);
        resolve(message);
      }
      for (const watcher of [...this.#watchers]) {
        if (watcher(message)) this.#watchers.splice(this.#watchers.indexOf(watcher), 1);
      }
    });
  }

  request(method: string, params: unknown): Promise<Reply> {
    const id = this.#next++;
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve);
      this.child.stdin.write(`${JSON.stringify({ id, method, params })}\n`);
    });
  }

  until(match: (message: Reply) => boolean): Promise<Reply> {
    return new Promise((resolve) =>
      this.#watchers.push((message) => {
        if (!match(message)) return false;
        resolve(message);
        return true;
      }),
    );
  }
}

async function roundTrips(line: Line, inFlight: number): Promise<number> {
  const started = performance.now();
  let sent = 0;
  const worker = async () => {
    while (sent < ROUND_TRIPS) {
      sent++;
      await line.request("account/read", {});
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return ROUND_TRIPS / ((performance.now() - started) / 1000);
}

const backend = await startFakeBackend();
const root = mkdtempSync(join(tmpdir(), "app-server-bench-"));
const home = join(root, "home");
mkdirSync(home);
writeFileSync(
  join(home, "config.toml"),
  [
    `chatgpt_base_url = "${backend.chatgptBaseUrl}"`,
    'model_provider = "demo"',
    "[model_providers.demo]",
    'name = "demo"',
    `base_url = "${backend.chatgptBaseUrl}/codex"`,
    'wire_api = "responses"',
    "requires_openai_auth = true",
    "supports_websockets = false",
    "",
  ].join("\n"),
);
const env = { PATH: process.env.PATH ?? "", HOME: root, CODEX_HOME: home };
const echo = new Line(spawn(process.execPath, ["-e", ECHO], { env }));
const server = new Line(spawn(process.execPath, [BIN], { env }));
try {
  await server.request("initialize", {
    clientInfo: { name: "bench", version: "1" },
    capabilities: { experimentalApi: true },
  });
  for (const line of [echo, server]) await roundTrips(line, 64); // warm up (JIT) both the same way
  const rows: Array<[string, number, number]> = [];
  for (const inFlight of [1, IN_FLIGHT]) {
    const base = await roundTrips(echo, inFlight);
    const ours = await roundTrips(server, inFlight);
    rows.push([`account/read, ${inFlight} in flight`, ours, base]);
  }
  for (const [name, ours, base] of rows) {
    console.log(
      `${name}: ${ours.toFixed(0)} round trips/s, echo child ${base.toFixed(0)}/s, ratio ${(ours / base).toFixed(2)}x (target >= 0.70x)`,
    );
  }

  const tokens = backend.issueTokens();
  await server.request("account/login/start", {
    type: "chatgptAuthTokens",
    accessToken: tokens.accessToken,
    chatgptAccountId: backend.account.chatgptAccountId,
  });
  const thread = await server.request("thread/start", {});
  const threadId = ((thread.result as Reply).thread as Reply).id;
  const ours: number[] = [];
  const direct: number[] = [];
  for (let i = 0; i < 10; i++) {
    backend.enqueue(scripts.text("hello from the bench"));
    const delta = server.until((m) => m.method === "item/agentMessage/delta");
    const completed = server.until((m) => m.method === "turn/completed");
    const started = performance.now();
    await server.request("turn/start", { threadId, input: [{ type: "text", text: "hi" }] });
    await delta;
    ours.push(performance.now() - started);
    await completed;

    backend.enqueue(scripts.text("hello from the bench"));
    const t0 = performance.now();
    const res = await fetch(`${backend.chatgptBaseUrl}/codex/responses`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tokens.accessToken}`,
        "chatgpt-account-id": backend.account.chatgptAccountId,
        "content-type": "application/json",
        accept: "text/event-stream",
      },
      body: JSON.stringify({ model: "gpt-5.5", input: [], stream: true }),
    });
    const reader = res.body?.getReader();
    await reader?.read();
    direct.push(performance.now() - t0);
    await reader?.cancel();
  }
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.log(
    `turn/start -> first delta: median ${median(ours).toFixed(1)} ms; fake backend's own first byte: median ${median(direct).toFixed(1)} ms`,
  );
} finally {
  echo.child.stdin.end();
  server.child.stdin.end();
  await backend.close();
  rmSync(root, { recursive: true, force: true });
}
