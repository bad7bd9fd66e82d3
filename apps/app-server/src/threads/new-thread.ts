import { resolve as resolvePath } from "node:path";
import { RolloutRecorder, type SessionSource } from "@codex/rollout";
import type { Logger } from "@codex/wire";
import { ThreadEngineError } from "./thread-engine-error.js";

/** The model a thread uses when neither the request nor `config.model` names one. */
export const DEFAULT_THREAD_MODEL = "gpt-5.5";

/** `thread/start` params the engine uses. */
export interface StartThreadParams {
  readonly cwd?: string | null | undefined;
  readonly model?: string | null | undefined;
}

/**
 * The working directory (absolute; default the process's) and model (default `configModel`,
 * else {@link DEFAULT_THREAD_MODEL}) of a new thread.
 *
 * @throws {ThreadEngineError} `invalid_argument` when `params` is not an object.
 */
export function newThreadSettings(
  params: unknown,
  configModel: string | undefined,
): { cwd: string; model: string } {
  if (params === null || typeof params !== "object") {
    throw new ThreadEngineError("invalid_argument", "thread/start params must be an object");
  }
  const { cwd, model } = params as StartThreadParams;
  return {
    cwd: resolvePath(typeof cwd === "string" && cwd !== "" ? cwd : process.cwd()),
    model:
      typeof model === "string" && model !== "" ? model : (configModel ?? DEFAULT_THREAD_MODEL),
  };
}

/** What a new thread's rollout file records in its `session_meta`. */
export interface NewRolloutOptions {
  readonly codexHome: string;
  readonly threadId: string;
  readonly cwd: string;
  readonly originator: string;
  readonly cliVersion: string;
  readonly source: SessionSource;
  readonly threadSource: "user" | null;
  readonly modelProvider: string;
  readonly baseInstructions: string | null;
  readonly nowMs: () => number;
  readonly logger: Logger;
}

/**
 * Creates and writes a new thread's rollout file (legacy layout, `session_meta` first).
 *
 * @throws {ThreadEngineError} `rollout_failed` when it cannot be written.
 */
export async function createThreadRollout(options: NewRolloutOptions): Promise<RolloutRecorder> {
  try {
    const recorder = RolloutRecorder.create({
      codexHome: options.codexHome,
      threadId: options.threadId,
      cwd: options.cwd,
      originator: options.originator,
      cliVersion: options.cliVersion,
      source: options.source,
      ...(options.threadSource === null ? {} : { threadSource: options.threadSource }),
      modelProvider: options.modelProvider,
      baseInstructions: options.baseInstructions,
      now: options.nowMs,
      logger: options.logger,
    });
    await recorder.persist();
    return recorder;
  } catch (cause) {
    throw new ThreadEngineError("rollout_failed", "could not create the thread's rollout file", {
      cause,
    });
  }
}
