/**
 * @codex/rollout — JSONL session rollout recorder, tolerant reader, listing, thread names,
 * archive, and the inference trace bundle with replay.
 */

export * from "./json-value.js";
export * from "./rollout-error.js";
export * from "./schema/event-msg.js";
export * from "./schema/response-item.js";
export * from "./schema/rollout-line.js";
export * from "./schema/session-meta.js";
export * from "./schema/turn-context.js";
export * from "./store/git-info.js";
export * from "./store/persistence-policy.js";
export * from "./store/rollout-append.js";
export * from "./store/rollout-fs.js";
export * from "./store/rollout-path.js";
export * from "./store/rollout-reader.js";
export * from "./store/rollout-recorder.js";
export * from "./store/session-index.js";
export * from "./store/thread-archive.js";
export * from "./store/thread-listing.js";
export * from "./store/thread-lookup.js";
export * from "./store/thread-summary.js";
export * from "./trace/inference-trace.js";
export * from "./trace/raw-trace-event.js";
export * from "./trace/reduced-state.js";
export * from "./trace/trace-replay.js";
export * from "./trace/trace-writer.js";
