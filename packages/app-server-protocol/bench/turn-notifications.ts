/**
 * Benchmark: validated parse + serialize of one turn's worth of server notifications, in
 * messages/s, printed beside bare JSON.parse / JSON.stringify measured in the same run.
 *
 *   pnpm --filter @codex/app-server-protocol bench
 */
import { performance } from "node:perf_hooks";
import { createCodec, type ServerNotification } from "../src/index.js";

const DELTAS = 200;

function turnNotifications(): ServerNotification[] {
  const threadId = "thr_1";
  const turnId = "turn_1";
  const text = "Hello from the agent. ".repeat(DELTAS / 4);
  const out: ServerNotification[] = [
    {
      method: "thread/started",
      params: {
        thread: {
          id: threadId,
          preview: "",
          modelProvider: "openai",
          createdAt: 1767225600,
          turns: [],
        },
      },
    },
    {
      method: "turn/started",
      params: { threadId, turn: { id: turnId, items: [], status: "inProgress", error: null } },
    },
    {
      method: "item/started",
      params: {
        threadId,
        turnId,
        item: { type: "userMessage", id: "usr_1", content: [{ type: "text", text: "hi" }] },
      },
    },
    {
      method: "item/completed",
      params: {
        threadId,
        turnId,
        item: { type: "userMessage", id: "usr_1", content: [{ type: "text", text: "hi" }] },
      },
    },
    {
      method: "item/started",
      params: { threadId, turnId, item: { type: "agentMessage", id: "msg_1", text: "" } },
    },
  ];
  for (let i = 0; i < DELTAS; i++) {
    out.push({
      method: "item/agentMessage/delta",
      params: { threadId, turnId, itemId: "msg_1", delta: `tok${i} ` },
    });
  }
  out.push(
    {
      method: "item/completed",
      params: { threadId, turnId, item: { type: "agentMessage", id: "msg_1", text } },
    },
    {
      method: "account/rateLimits/updated",
      params: {
        rateLimits: {
          limitId: "codex",
          primary: { usedPercent: 12, windowDurationMins: 300, resetsAt: 1767225600 },
        },
      },
    },
    {
      method: "turn/completed",
      params: { threadId, turn: { id: turnId, items: [], status: "completed", error: null } },
    },
  );
  return out;
}

const notifications = turnNotifications();
const server = createCodec("server");
const client = createCodec("client");
const lines = notifications.map((n) => server.encodeNotification(n.method, n.params as never));

let sink = 0;

function bareRoundTrip(): void {
  for (const line of lines) {
    const value = JSON.parse(line) as { method: string; params: unknown };
    sink += JSON.stringify({ method: value.method, params: value.params }).length;
  }
}

function validatedRoundTrip(): void {
  for (const line of lines) {
    const decoded = client.decode(line);
    if (decoded.kind !== "notification") throw new Error(`unexpected ${decoded.kind}`);
    sink += server.encodeNotification(decoded.method, decoded.params as never).length;
  }
}

function measure(fn: () => void, minMs: number): number {
  for (let i = 0; i < 20; i++) fn(); // warm-up
  let turns = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    fn();
    turns++;
    elapsed = performance.now() - start;
  }
  return (turns * lines.length) / (elapsed / 1000);
}

const minMs = Number(process.env.BENCH_MS ?? 1500);
const bare = measure(bareRoundTrip, minMs);
const validated = measure(validatedRoundTrip, minMs);
const format = (n: number) => Math.round(n).toLocaleString("en-US").padStart(12);

console.log(
  `one turn = ${lines.length} notifications (${DELTAS} deltas), ${lines.reduce((s, l) => s + l.length, 0)} bytes`,
);
console.log(`bare JSON.parse + JSON.stringify        ${format(bare)} msgs/s   (baseline)`);
console.log(
  `validated decode + encode (zod schemas) ${format(validated)} msgs/s   ${(validated / bare).toFixed(2)}x of baseline`,
);
console.log(`validated turns/s: ${Math.round(validated / lines.length).toLocaleString("en-US")}`);
if (sink === 0) console.log("");
