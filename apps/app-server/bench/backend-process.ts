/**
 * The fake backend in its own process for the benchmark, so the figures of the app-server and of
 * the raw fetch do not share an event loop with it. Driven over IPC: `{ enqueue: { text,
 * chunkSize, count } }` queues `count` copies of a text answer and is acknowledged with
 * `{ queued: count }`; the first message is `{ url, openaiBaseUrl }`.
 */
import { scripts, startFakeBackend } from "@codex/fake-backend";

interface EnqueueMessage {
  readonly enqueue: { readonly text: string; readonly chunkSize: number; readonly count: number };
}

const send = (message: unknown): void => {
  process.send?.(message);
};

const backend = await startFakeBackend({ rateLimits: false });
process.on("message", (message: EnqueueMessage) => {
  const { text, chunkSize, count } = message.enqueue;
  for (let i = 0; i < count; i++) backend.enqueue(scripts.text(text, { chunkSize }));
  send({ queued: count });
});
process.on("disconnect", () => {
  void backend.close().finally(() => process.exit(0));
});
send({ url: backend.url, openaiBaseUrl: backend.openaiBaseUrl });
