// Records a short thread into a temporary CODEX_HOME, reads it back, lists it, and writes and
// replays an inference trace whose stream was dropped. Run after `pnpm --filter @codex/rollout build`:
//   node packages/rollout/examples/record-and-list.mjs
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  InferenceTraceContext,
  listThreads,
  loadRolloutItems,
  RESPONSE_STREAM_DROPPED_REASON,
  RolloutRecorder,
  replayBundle,
  TraceWriter,
} from "@codex/rollout";

const codexHome = mkdtempSync(join(tmpdir(), "codex-home-"));
try {
  const recorder = RolloutRecorder.create({
    codexHome,
    cwd: process.cwd(),
    cliVersion: "0.1.0",
    source: "cli",
    modelProvider: "openai",
    baseInstructions: "You are a coding agent.",
    gitInfo: null,
  });
  await recorder.recordItems([
    {
      type: "response_item",
      payload: {
        type: "message",
        role: "user",
        content: [{ type: "input_text", text: "list files" }],
      },
    },
    {
      type: "event_msg",
      payload: {
        type: "user_message",
        message: "list files",
        images: null,
        local_images: [],
        text_elements: [],
      },
    },
    {
      type: "event_msg",
      payload: { type: "agent_message_delta", fields: { delta: "not persisted" } },
    },
    {
      type: "response_item",
      payload: {
        type: "message",
        role: "assistant",
        content: [{ type: "output_text", text: "One file." }],
        phase: "final_answer",
      },
    },
  ]);
  await recorder.shutdown();

  const loaded = await loadRolloutItems(recorder.path);
  console.log(
    `recorded ${loaded.items.length} lines for thread ${loaded.threadId} (${loaded.parseErrors} bad)`,
  );

  const page = await listThreads({ codexHome, pageSize: 10 });
  console.log(
    `listed ${page.items.length} thread(s); first message: ${page.items[0]?.firstUserMessage}`,
  );

  const bundle = join(codexHome, "trace");
  const writer = TraceWriter.create(bundle, "trace-1", "rollout-1", "thread-root");
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
    "openai",
  ).startAttempt();
  attempt.recordStarted({ model: "gpt-test", input: [] });
  attempt.recordCancelled(RESPONSE_STREAM_DROPPED_REASON, null, [
    {
      type: "message",
      role: "assistant",
      content: [{ type: "output_text", text: "partial answer" }],
    },
  ]);
  writer.close();
  const trace = replayBundle(bundle);
  const call = [...trace.inferenceCalls.values()][0];
  console.log(
    `trace: inference ${call?.execution.status}, ${call?.responseItemIds.length} response item(s), ${trace.rawPayloads.size} raw payloads`,
  );
} finally {
  rmSync(codexHome, { recursive: true, force: true });
}
