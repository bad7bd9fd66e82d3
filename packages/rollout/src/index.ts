/**
 * @codex/rollout — JSONL session rollout recorder, tolerant reader, listing, thread names,
 * archive, and the inference trace bundle with replay.
 */
export * from "./event-msg.js";
export * from "./git-info.js";
export * from "./inference-trace.js";
export * from "./json-value.js";
export * from "./persistence-policy.js";
export * from "./raw-trace-event.js";
export * from "./reduced-state.js";
export * from "./response-item.js";
export * from "./rollout-append.js";
export * from "./rollout-error.js";
export * from "./rollout-fs.js";
export * from "./rollout-line.js";
export * from "./rollout-path.js";
export * from "./rollout-reader.js";
export * from "./rollout-recorder.js";
export * from "./session-index.js";
export * from "./session-meta.js";
export * from "./thread-archive.js";
export * from "./thread-listing.js";
export * from "./thread-lookup.js";
export * from "./thread-summary.js";
export * from "./trace-replay.js";
export * from "./trace-writer.js";
export * from "./turn-context.js";
