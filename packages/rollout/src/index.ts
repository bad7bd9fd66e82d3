/**
 * @codex/rollout: Codex session rollouts (JSONL) as upstream codex 0.169 writes them.
 *
 * - lines: {@link parseRolloutLine} / {@link serializeRolloutLine} and the typed items;
 * - recording: {@link RolloutRecorder}, {@link appendRolloutItemToPath};
 * - reading and resume: {@link loadRolloutItems}, {@link getRolloutHistory};
 * - threads: {@link listThreads}, {@link readThreadItem}, lookup, archive and names;
 * - inference trace: {@link TraceWriter}, {@link InferenceTraceContext}, {@link replayBundle}.
 */

export type { RolloutErrorCode } from "./rollout-error.js";
export { RolloutError } from "./rollout-error.js";
export type {
  EventMsg,
  ModeKind,
  OtherEventMsg,
  OtherEventMsgType,
  TurnAbortReason,
  TypedEventMsg,
  UnknownEventMsg,
} from "./schema/event-msg.js";
export { isOtherEventMsg } from "./schema/event-msg.js";
export type {
  ContentItem,
  FunctionCallOutput,
  FunctionCallOutputContentItem,
  ImageDetail,
  LocalShellExecAction,
  ReasoningContent,
  ResponseItem,
  SerializeResponseItemOptions,
  WebSearchAction,
} from "./schema/response-item.js";
export { parseResponseItem, serializeResponseItem } from "./schema/response-item.js";
export type {
  RolloutItem,
  RolloutLine,
  RolloutLineFields,
  SerializeLineOptions,
} from "./schema/rollout-line.js";
export {
  formatRolloutTimestamp,
  parseRolloutLine,
  parseRolloutLineText,
  serializeRolloutLine,
  validateRolloutItem,
} from "./schema/rollout-line.js";
export type {
  DynamicToolSpec,
  GitInfo,
  SessionMetaLine,
  SessionSource,
  SubAgentSource,
  ThreadSource,
  ThreadSpawnSource,
} from "./schema/session-meta.js";
export { parseSessionSource } from "./schema/session-meta.js";
export type {
  ApprovalPolicy,
  CompactedItem,
  ReasoningSummary,
  SandboxPolicyType,
  TurnContextItem,
  TurnContextOptionalKey,
} from "./schema/turn-context.js";
export { collectGitInfo } from "./store/git-info.js";
export type { EventPersistenceMode } from "./store/persistence-policy.js";
export { isPersistedRolloutItem } from "./store/persistence-policy.js";
export { appendRolloutItemToPath } from "./store/rollout-append.js";
export type { RolloutFileHandle, RolloutFs } from "./store/rollout-fs.js";
export type { InitialHistory, LoadedRollout, LoadRolloutOptions } from "./store/rollout-reader.js";
export { getRolloutHistory, loadRolloutItems, responseHistory } from "./store/rollout-reader.js";
export type {
  CreateRecorderOptions,
  RecorderCommonOptions,
  ResumeRecorderOptions,
} from "./store/rollout-recorder.js";
export { RolloutRecorder } from "./store/rollout-recorder.js";
export type { SessionIndexEntry } from "./store/session-index.js";
export {
  appendThreadName,
  findThreadName,
  findThreadNames,
  findThreadPathByName,
  renameThread,
} from "./store/session-index.js";
export { archiveThread, unarchiveThread } from "./store/thread-archive.js";
export type { ListThreadsOptions, ThreadCursor, ThreadsPage } from "./store/thread-listing.js";
export {
  INTERACTIVE_SESSION_SOURCES,
  listThreads,
  parseThreadCursor,
} from "./store/thread-listing.js";
export {
  findArchivedThreadPathById,
  findLatestThreadPath,
  findThreadPathById,
} from "./store/thread-lookup.js";
export type { ThreadItem } from "./store/thread-summary.js";
export { readThreadItem } from "./store/thread-summary.js";
export type { InferenceTraceOptions } from "./trace/inference-trace.js";
export {
  InferenceTraceAttempt,
  InferenceTraceContext,
  RESPONSE_STREAM_DROPPED_REASON,
  X_CODEX_INFERENCE_CALL_ID_HEADER,
} from "./trace/inference-trace.js";
export type {
  ExecutionStatus,
  RawPayloadKind,
  RawPayloadRef,
  RawTraceEvent,
  RawTraceEventPayload,
  RolloutStatus,
  TraceManifest,
} from "./trace/raw-trace-event.js";
export { writeReducedState } from "./trace/reduced-state.js";
export type {
  CodexTurn,
  ConversationItem,
  ExecutionWindow,
  InferenceCall,
  RolloutTrace,
  ToolCall,
  TraceThread,
} from "./trace/trace-replay.js";
export { replayBundle } from "./trace/trace-replay.js";
export type {
  StartTraceOptions,
  TraceEventContext,
  TraceWriterOptions,
} from "./trace/trace-writer.js";
export { startRolloutTraceFromEnv, TraceWriter } from "./trace/trace-writer.js";
