import { randomUUID } from "node:crypto";
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { JsonValue } from "@codex/wire";
import { RolloutError } from "../rollout-error.js";
import {
  RAW_TRACE_EVENT_SCHEMA_VERSION,
  type RawPayloadKind,
  type RawPayloadRef,
  type RawTraceEvent,
  type RawTraceEventPayload,
  type TraceManifest,
} from "./raw-trace-event.js";

/** Env var naming the root folder of trace bundles (tracing is off when unset). */
export const CODEX_ROLLOUT_TRACE_ROOT_ENV = "CODEX_ROLLOUT_TRACE_ROOT";
/** Optional reduced state file of a bundle. */
export const REDUCED_STATE_FILE_NAME = "state.json";

/** Thread and turn an event belongs to. */
export interface TraceEventContext {
  threadId?: string | null;
  codexTurnId?: string | null;
}

/** Options of {@link TraceWriter.create}. */
export interface TraceWriterOptions {
  /** Clock in Unix ms (default `Date.now`). */
  now?: () => number;
}

/**
 * Writes a trace bundle: `manifest.json`, `trace.jsonl` (one compact event per line, `seq`
 * contiguous from 1) and `payloads/N.json`. Writes are synchronous, so events are ordered and
 * a payload file exists before any event names it. Errors are `RolloutError("trace_io")`.
 *
 * @example
 * ```ts
 * const w = TraceWriter.create(dir, "trace-1", "rollout-1", "thread-root");
 * w.append({ type: "codex_turn_started", codex_turn_id: "turn-1", thread_id: "thread-root" });
 * ```
 */
export class TraceWriter {
  /** The bundle folder. */
  readonly bundleDir: string;
  /** `trace_id` of the manifest. */
  readonly traceId: string;
  /** `rollout_id` of the manifest and of every event. */
  readonly rolloutId: string;
  /** `root_thread_id` of the manifest. */
  readonly rootThreadId: string;
  /** `started_at_unix_ms` of the manifest. */
  readonly startedAtUnixMs: number;
  readonly #now: () => number;
  readonly #fd: number;
  #nextSeq = 1;
  #nextPayload = 1;
  #closed = false;

  private constructor(
    dir: string,
    traceId: string,
    rolloutId: string,
    rootThreadId: string,
    started: number,
    fd: number,
    now: () => number,
  ) {
    this.bundleDir = dir;
    this.traceId = traceId;
    this.rolloutId = rolloutId;
    this.rootThreadId = rootThreadId;
    this.startedAtUnixMs = started;
    this.#fd = fd;
    this.#now = now;
  }

  /** Creates the bundle folder, writes the manifest and opens `trace.jsonl` for append. */
  static create(
    bundleDir: string,
    traceId: string,
    rolloutId: string,
    rootThreadId: string,
    options: TraceWriterOptions = {},
  ): TraceWriter {
    for (const [k, v] of [
      ["bundleDir", bundleDir],
      ["traceId", traceId],
      ["rolloutId", rolloutId],
      ["rootThreadId", rootThreadId],
    ] as const) {
      if (typeof v !== "string" || v === "") {
        throw new RolloutError("invalid_argument", `${k} must be a non-empty string`);
      }
    }
    const now = options.now ?? Date.now;
    const started = now();
    const manifest: TraceManifest = {
      schema_version: 1,
      trace_id: traceId,
      rollout_id: rolloutId,
      root_thread_id: rootThreadId,
      started_at_unix_ms: started,
      raw_event_log: "trace.jsonl",
      payloads_dir: "payloads",
    };
    try {
      mkdirSync(join(bundleDir, "payloads"), { recursive: true });
      writeFileSync(join(bundleDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
      const fd = openSync(join(bundleDir, "trace.jsonl"), "a");
      return new TraceWriter(bundleDir, traceId, rolloutId, rootThreadId, started, fd, now);
    } catch (cause) {
      throw new RolloutError("trace_io", "could not create the trace bundle", { cause });
    }
  }

  /** Writes `payloads/N.json` (pretty JSON) and returns its reference. */
  writeJsonPayload(kind: RawPayloadKind, value: JsonValue): RawPayloadRef {
    this.#checkOpen();
    const n = this.#nextPayload;
    const path = `payloads/${n}.json`;
    try {
      writeFileSync(join(this.bundleDir, path), `${JSON.stringify(value, null, 2)}\n`);
    } catch (cause) {
      throw new RolloutError("trace_io", "could not write a trace payload", { cause });
    }
    this.#nextPayload = n + 1;
    return { raw_payload_id: `raw_payload:${n}`, kind: { type: kind.type }, path };
  }

  /** Appends an event with no thread/turn context. */
  append(payload: RawTraceEventPayload): RawTraceEvent {
    return this.appendWithContext({}, payload);
  }

  /** Appends an event carrying `thread_id` / `codex_turn_id`. */
  appendWithContext(ctx: TraceEventContext, payload: RawTraceEventPayload): RawTraceEvent {
    this.#checkOpen();
    const event: RawTraceEvent = {
      schema_version: RAW_TRACE_EVENT_SCHEMA_VERSION,
      seq: this.#nextSeq,
      wall_time_unix_ms: this.#now(),
      rollout_id: this.rolloutId,
      thread_id: ctx.threadId ?? null,
      codex_turn_id: ctx.codexTurnId ?? null,
      payload,
    };
    const line = Buffer.from(`${JSON.stringify(event)}\n`, "utf8");
    try {
      let off = 0;
      while (off < line.length) off += writeSync(this.#fd, line, off, line.length - off);
    } catch (cause) {
      throw new RolloutError("trace_io", "could not append a trace event", { cause });
    }
    this.#nextSeq++;
    return event;
  }

  #checkOpen(): void {
    if (this.#closed) throw new RolloutError("trace_io", "trace writer is closed");
  }

  /** Closes `trace.jsonl`. Later writes fail with `trace_io`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      closeSync(this.#fd);
    } catch {
      // already closed
    }
  }
}

/** `<root>/trace-<traceId>-<rootThreadId>`: the bundle folder of a root thread. */
export function traceBundleDir(root: string, traceId: string, rootThreadId: string): string {
  return join(root, `trace-${traceId}-${rootThreadId}`);
}

/** Options of {@link startRolloutTraceFromEnv}. */
export interface StartTraceOptions extends TraceWriterOptions {
  /** Environment to read `CODEX_ROLLOUT_TRACE_ROOT` from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Trace id source (default UUID v4). */
  uuid?: () => string;
}

/**
 * Starts tracing for a root thread when `CODEX_ROLLOUT_TRACE_ROOT` is set: creates
 * `<root>/trace-<uuid v4>-<thread>/` (rollout id = root thread id) and appends
 * `rollout_started`. Returns `null` when tracing is off. Children share the returned writer.
 *
 * @example const writer = startRolloutTraceFromEnv(threadId); // null unless the env var is set
 */
export function startRolloutTraceFromEnv(
  rootThreadId: string,
  options: StartTraceOptions = {},
): TraceWriter | null {
  const root = (options.env ?? process.env)[CODEX_ROLLOUT_TRACE_ROOT_ENV];
  if (root === undefined || root === "") return null;
  const traceId = (options.uuid ?? randomUUID)();
  const writer = TraceWriter.create(
    traceBundleDir(root, traceId, rootThreadId),
    traceId,
    rootThreadId,
    rootThreadId,
    options,
  );
  writer.append({ type: "rollout_started", trace_id: traceId, root_thread_id: rootThreadId });
  return writer;
}
