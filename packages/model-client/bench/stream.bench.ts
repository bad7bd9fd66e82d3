/**
 * One run, three figures, against @codex/fake-backend in its own process (bench/backend-process.ts,
 * so the client's RSS and CPU are its own):
 *
 * 1. streaming through `ModelClientSession` beside raw `fetch` + `eventsource-parser` on the same
 *    stream: events/s, MB/s and the ratio (target ≥ 0.9x of raw);
 * 2. per-request overhead on loopback: a small echo turn through a session beside a bare fetch of
 *    the same request (both read to the end);
 * 3. RSS while a consumer 100x slower than the stream reads a stream much larger than any sane
 *    buffer: the session's bounded reader must keep memory flat (samples printed).
 *
 * Env: BENCH_DELTAS (20000), BENCH_ROUNDS (5), BENCH_REQUESTS (300), BENCH_SLOW_MB (2).
 */
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { createParser } from "eventsource-parser";
import { apiKeyAuth, createOpenAiProvider, ModelClient, type Prompt } from "../src/index.js";

const DELTAS = Number(process.env.BENCH_DELTAS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SMALL_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const SLOW_MB = Number(process.env.BENCH_SLOW_MB ?? 2);
const SLOWDOWN = 100;

const prompt: Prompt = {
  input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "bench" }] }],
};

/** The backend process and a way to queue answers on it. */
async function startBackend(): Promise<{
  child: ChildProcess;
  baseUrl: string;
  enqueue(text: string, chunkSize: number, count: number): Promise<void>;
}> {
  const child = fork(new URL("./backend-process.ts", import.meta.url), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const [first] = (await once(child, "message")) as [{ url: string }];
  return {
    child,
    baseUrl: first.url,
    async enqueue(text, chunkSize, count) {
      const acked = once(child, "message");
      child.send({ enqueue: { text, chunkSize, count } });
      await acked;
    },
  };
}

const backend = await startBackend();
const client = new ModelClient({
  provider: createOpenAiProvider(backend.baseUrl),
  sessionId: "S",
  threadId: "T",
  installationId: "11111111-1111-4111-8111-111111111111",
  auth: apiKeyAuth("sk-bench"),
  env: {},
  websockets: false,
});

async function raw(): Promise<{ events: number; bytes: number }> {
  const res = await fetch(`${backend.baseUrl}/responses`, {
    method: "POST",
    headers: {
      authorization: "Bearer sk-bench",
      "content-type": "application/json",
      accept: "text/event-stream",
    },
    body: JSON.stringify({ model: "gpt-bench", ...prompt, stream: true }),
  });
  let events = 0;
  let bytes = 0;
  const parser = createParser({
    onEvent: (message) => {
      JSON.parse(message.data);
      events++;
    },
  });
  const decoder = new TextDecoder();
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  return { events, bytes };
}

/** Streams one turn through a session; `onEvent` may pause (the slow consumer). */
async function ours(onEvent?: (n: number) => Promise<void> | undefined): Promise<number> {
  let events = 0;
  const session = client.newSession();
  for await (const _event of session.stream(prompt, { model: "gpt-bench" })) {
    events++;
    await onEvent?.(events);
  }
  session.close();
  return events;
}

async function time<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const result = await fn();
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

try {
  // 1. Throughput, alternating raw and ours on identical streams.
  const text = "x".repeat(DELTAS * 16);
  let rawSeconds = 0;
  let ourSeconds = 0;
  let rawEvents = 0;
  let ourEvents = 0;
  let bytes = 0;
  await backend.enqueue(text, 16, 2); // warm-up
  await raw();
  await ours();
  for (let round = 0; round < ROUNDS; round++) {
    await backend.enqueue(text, 16, 2);
    const a = await time(raw);
    const b = await time(() => ours());
    rawSeconds += a.seconds;
    rawEvents += a.result.events;
    bytes += a.result.bytes;
    ourSeconds += b.seconds;
    ourEvents += b.result;
  }
  console.log(
    `1. stream of ${DELTAS} deltas (${mb(bytes / ROUNDS).toFixed(1)} MB of SSE) x ${ROUNDS} rounds`,
  );
  console.log(
    `   raw fetch + eventsource-parser: ${(rawEvents / rawSeconds).toFixed(0)} events/s, ${(mb(bytes) / rawSeconds).toFixed(1)} MB/s`,
  );
  console.log(
    `   ModelClientSession:             ${(ourEvents / ourSeconds).toFixed(0)} events/s, ${(mb(bytes) / ourSeconds).toFixed(1)} MB/s`,
  );
  console.log(`   ratio ${(rawSeconds / ourSeconds).toFixed(2)}x of raw (target >= 0.9x)`);

  // 2. Per-request overhead: the echo answer (no script queued), bare fetch beside a session.
  let bare = 0;
  let session = 0;
  for (let i = 0; i < SMALL_REQUESTS; i++) {
    bare += (await time(raw)).seconds;
    session += (await time(() => ours())).seconds;
  }
  const bareMs = (bare / SMALL_REQUESTS) * 1000;
  const sessionMs = (session / SMALL_REQUESTS) * 1000;
  console.log(
    `2. per request (echo turn, loopback, ${SMALL_REQUESTS} each): bare fetch ${bareMs.toFixed(2)} ms, ModelClientSession ${sessionMs.toFixed(2)} ms, overhead ${(sessionMs - bareMs).toFixed(2)} ms`,
  );

  // 3. A consumer 100x slower than the stream, on a stream of SLOW_MB of 1 KiB deltas.
  const deltas = Math.max(1, Math.round(SLOW_MB * 1024));
  const big = "y".repeat(deltas * 1024);
  await backend.enqueue(big, 1024, 2);
  const fast = await time(() => ours());
  const perEventMs = (fast.seconds * 1000) / fast.result;
  const slowPerEventMs = perEventMs * SLOWDOWN;
  // Timers sleep at least 1 ms: pause every `every` events for `every` events' worth of time.
  const every = Math.max(1, Math.ceil(1 / slowPerEventMs));
  // With --expose-gc (the bench script sets it) each sample is taken after a full collection,
  // so it shows what is retained (buffered), not garbage waiting for the collector.
  const gc = (globalThis as { gc?: () => void }).gc;
  const collect = gc ?? (() => {});
  collect();
  const before = process.memoryUsage();
  const rss: number[] = [];
  const heap: number[] = [];
  const sampleEvery = Math.max(1, Math.floor(fast.result / 20));
  const slow = await time(() =>
    ours((n) => {
      if (n % sampleEvery === 0) {
        collect();
        const usage = process.memoryUsage();
        rss.push(usage.rss);
        heap.push(usage.heapUsed + usage.arrayBuffers);
      }
      return n % every === 0 ? sleep(every * slowPerEventMs) : undefined;
    }),
  );
  const range = (values: number[]) =>
    `${mb(Math.min(...values)).toFixed(1)}-${mb(Math.max(...values)).toFixed(1)} MB`;
  console.log(
    `3. slow consumer: ${slow.result} events (${SLOW_MB} MB of text); fast pass ${(fast.result / fast.seconds).toFixed(0)} events/s, slow pass ${(slow.result / slow.seconds).toFixed(0)} events/s (${(slow.seconds / fast.seconds).toFixed(0)}x slower)`,
  );
  console.log(
    `   RSS ${mb(before.rss).toFixed(1)} MB before, ${range(rss)} while reading; heap + buffers ${mb(before.heapUsed + before.arrayBuffers).toFixed(1)} MB before, ${range(heap)} while reading${gc === undefined ? " (no --expose-gc: garbage included)" : " (after gc)"}`,
  );
  console.log(`   heap + buffers samples (MB): ${heap.map((s) => mb(s).toFixed(1)).join(" ")}`);
} finally {
  client.close();
  backend.child.disconnect();
}
