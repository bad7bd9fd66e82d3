/**
 * @codex/rollout/testing — helpers for other packages' tests (never for production code).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { JsonValue } from "@codex/wire";
import { serializeRolloutLine } from "../schema/rollout-line.js";
import type { SessionSource } from "../schema/session-meta.js";
import { type InferenceTraceAttempt, InferenceTraceContext } from "../trace/inference-trace.js";
import { TraceWriter } from "../trace/trace-writer.js";

/** What {@link startedInferenceAttempt} set up. */
export interface StartedAttempt {
  writer: TraceWriter;
  attempt: InferenceTraceAttempt;
}

/**
 * The seed's `started_inference_attempt`: a bundle in `dir` (`trace-1`, `rollout-1`,
 * `thread-root`), `thread_started`, `codex_turn_started` (`turn-1`), then an attempt for
 * `gpt-test` / `test-provider` that already recorded its request (one user message "hello").
 *
 * @example
 * ```ts
 * const { attempt } = startedInferenceAttempt(tmp);
 * // ... drive the stream mapper with `attempt`, drop the stream ...
 * const call = [...replayBundle(tmp).inferenceCalls.values()][0];
 * ```
 */
export function startedInferenceAttempt(
  dir: string,
  request: JsonValue = {
    model: "gpt-test",
    input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "hello" }] }],
  },
): StartedAttempt {
  const writer = TraceWriter.create(dir, "trace-1", "rollout-1", "thread-root");
  writer.append({
    type: "thread_started",
    thread_id: "thread-root",
    agent_path: "/root",
    metadata_payload: null,
  });
  writer.append({ type: "codex_turn_started", codex_turn_id: "turn-1", thread_id: "thread-root" });
  const attempt = InferenceTraceContext.enabled(
    writer,
    "thread-root",
    "turn-1",
    "gpt-test",
    "test-provider",
  ).startAttempt();
  attempt.recordStarted(request);
  return { writer, attempt };
}

/** A small listed thread for {@link writeRolloutFixture}. */
export interface RolloutFixture {
  /** UUID. */
  threadId: string;
  /** Name time in Unix ms (folder and file name use its UTC parts). */
  timeMs: number;
  /** First user message; `null` writes none (the thread is then hidden from listings). */
  userMessage?: string | null;
  source?: SessionSource;
  modelProvider?: string | null;
  cwd?: string;
}

/**
 * Writes `sessions/YYYY/MM/DD/rollout-<ts>-<id>.jsonl` with a `session_meta` line and a
 * `user_message` event, as the recorder would; returns the path.
 */
export function writeRolloutFixture(codexHome: string, f: RolloutFixture): string {
  const t = new Date(f.timeMs);
  const iso = t.toISOString();
  const dir = join(codexHome, "sessions", iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10));
  mkdirSync(dir, { recursive: true });
  const lines = [
    serializeRolloutLine(iso, {
      type: "session_meta",
      payload: {
        id: f.threadId,
        timestamp: iso,
        cwd: f.cwd ?? "/srv",
        originator: "codex_cli_rs",
        cli_version: "0.0.0",
        source: f.source ?? "cli",
        model_provider: f.modelProvider === undefined ? "openai" : f.modelProvider,
        base_instructions: null,
      },
    }),
  ];
  if (f.userMessage !== null) {
    lines.push(
      serializeRolloutLine(iso, {
        type: "event_msg",
        payload: {
          type: "user_message",
          message: f.userMessage ?? "hello",
          images: null,
          local_images: [],
          text_elements: [],
        },
      }),
    );
  }
  const path = join(dir, `rollout-${iso.slice(0, 19).replace(/:/g, "-")}-${f.threadId}.jsonl`);
  writeFileSync(path, lines.join(""));
  return path;
}
