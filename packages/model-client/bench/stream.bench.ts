/**
 * Streaming through `ModelClientSession` beside raw `fetch` + `eventsource-parser` on the same
 * fake-backend stream, in one run: events/s and MB/s (target ≥ 0.9x of raw), per-request
 * overhead on loopback beside a bare fetch, and RSS while a consumer much slower than the
 * stream reads it (the pull-based reader must keep memory flat).
 */
import { scripts, startFakeBackend } from "@codex/fake-backend";
import { createParser } from "eventsource-parser";
import { apiKeyAuth, createOpenAiProvider, ModelClient } from "../src/index.js";

const DELTAS = Number(process.env.BENCH_DELTAS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SMALL_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);

const backend = await startFakeBackend({ rateLimits: false });
const text = "x".repeat(DELTAS * 16);
const prompt = {
  input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "bench" }] }],
};
const client = new ModelClient({
  provider: createOpenAiProvider(backend.openaiBaseUrl),
  sessionId: "S",
  threadId: "T",
  installationId: "1111",
  auth: apiKeyAuth("sk-bench"),
  env: {},
  websockets: false,
});

async function raw(): Promise<{ events: number; bytes: number }> {
  const res = await fetch(`${backend.openaiBaseUrl}/responses`, {
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

async function ours(delayEvery = 0): Promise<{ events: number; peakRss: number }> {
  let events = 0;
  let peakRss = 0;
  for await (const _event of client.newSession().stream(prompt, { model: "gpt-bench" })) {
    events++;
    if (delayEvery > 0 && events % delayEvery === 0) {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  return { events, peakRss };
}

function time<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = process.hrtime.bigint();
  return fn().then((result) => ({
    result,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  }));
}

try {
  let rawSeconds = 0;
  let ourSeconds = 0;
  let rawEvents = 0;
  let ourEvents = 0;
  let bytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    backend.enqueue(scripts.text(text, { chunkSize: 16 }), scripts.text(text, { chunkSize: 16 }));
    const a = await time(raw);
    const b = await time(() => ours());
    rawSeconds += a.seconds;
    rawEvents += a.result.events;
    bytes += a.result.bytes;
    ourSeconds += b.seconds;
    ourEvents += b.result.events;
  }
  const mb = bytes / 1024 / 1024;
  console.log(`stream of ${DELTAS} deltas x ${ROUNDS} rounds`);
  console.log(
    `  raw fetch + eventsource-parser: ${(rawEvents / rawSeconds).toFixed(0)} events/s, ${(mb / rawSeconds).toFixed(1)} MB/s`,
  );
  console.log(
    `  ModelClientSession:             ${(ourEvents / ourSeconds).toFixed(0)} events/s, ${(mb / ourSeconds).toFixed(1)} MB/s`,
  );
  console.log(`  ratio ${(rawSeconds / ourSeconds).toFixed(2)}x of raw (target >= 0.9x)`);

  let bare = 0;
  let session = 0;
  for (let i = 0; i < SMALL_REQUESTS; i++) {
    bare += (await time(raw)).seconds;
    session += (await time(() => ours())).seconds;
  }
  console.log(
    `per request (echo, loopback): bare fetch ${((bare / SMALL_REQUESTS) * 1000).toFixed(2)} ms, ModelClientSession ${((session / SMALL_REQUESTS) * 1000).toFixed(2)} ms`,
  );

  const before = process.memoryUsage().rss;
  backend.enqueue(scripts.text(text.repeat(2), { chunkSize: 16 }));
  const slow = await ours(100);
  console.log(
    `slow consumer (1 ms pause every 100 events, ${slow.events} events): RSS ${(before / 1e6).toFixed(0)} MB before, peak ${(slow.peakRss / 1e6).toFixed(0)} MB`,
  );
} finally {
  client.close();
  await backend.close();
}
