import {
  findThreadPathById,
  type LoadedRollout,
  loadRolloutItems,
  RolloutRecorder,
  responseHistory,
} from "@codex/rollout";
import { type JsonObject, type Logger, parseRfc3339 } from "@codex/wire";
import { historyInput, lastTurnModel } from "./rollout-items.js";
import { ThreadEngineError } from "./thread-engine-error.js";
import { recordedTokenUsage, type TokenUsageTotals } from "./token-usage.js";

/** What a stored thread's rollout says of it, for its resumed state. */
export interface StoredThreadFacts {
  /** The recorded working directory (undefined without a `session_meta`). */
  readonly cwd: string | undefined;
  /** Unix seconds of the `session_meta` timestamp (undefined without a readable one). */
  readonly createdAt: number | undefined;
  /** The first user message (the listing's preview), or "". */
  readonly preview: string;
  /** The model of the last `turn_context`, if any. */
  readonly lastModel: string | undefined;
  readonly historyMode: "legacy" | "paginated";
  /** The model input the thread goes on from. */
  readonly history: JsonObject[];
  /** The usage of its last `token_count`, if any. */
  readonly tokenUsage: TokenUsageTotals | undefined;
}

/** The facts of a loaded rollout (ours or upstream's). */
export function storedThreadFacts(
  loaded: Pick<LoadedRollout, "items" | "sessionMeta">,
): StoredThreadFacts {
  const meta = loaded.sessionMeta;
  const metaTime = meta?.timestamp === undefined ? undefined : parseRfc3339(meta.timestamp);
  let preview = "";
  for (const line of loaded.items) {
    if (line.type === "event_msg" && line.payload.type === "user_message") {
      preview = line.payload.message;
      break;
    }
  }
  return {
    cwd: meta?.cwd,
    createdAt: metaTime?.seconds,
    preview,
    lastModel: lastTurnModel(loaded.items),
    historyMode: meta?.history_mode === "paginated" ? "paginated" : "legacy",
    history: historyInput(responseHistory(loaded.items)),
    tokenUsage: recordedTokenUsage(loaded.items),
  };
}

/** A stored thread opened for appending. */
export interface StoredThread {
  readonly recorder: RolloutRecorder;
  readonly facts: StoredThreadFacts;
}

/**
 * Finds the rollout of `threadId` under `codexHome`, reads it and opens it for appending.
 *
 * @throws {ThreadEngineError} `thread_not_found` (no such rollout), `rollout_failed` (unreadable).
 */
export async function openStoredThread(
  codexHome: string,
  threadId: string,
  nowMs: () => number,
  logger: Logger,
): Promise<StoredThread> {
  let path: string | null;
  try {
    path = await findThreadPathById(codexHome, threadId);
  } catch (cause) {
    throw new ThreadEngineError("thread_not_found", `thread not found: ${threadId}`, { cause });
  }
  if (path === null)
    throw new ThreadEngineError("thread_not_found", `thread not found: ${threadId}`);
  try {
    const loaded = await loadRolloutItems(path, { logger });
    const recorder = await RolloutRecorder.resume({ path, now: nowMs, logger });
    return { recorder, facts: storedThreadFacts(loaded) };
  } catch (cause) {
    throw new ThreadEngineError("rollout_failed", "could not read the thread's rollout file", {
      cause,
    });
  }
}
