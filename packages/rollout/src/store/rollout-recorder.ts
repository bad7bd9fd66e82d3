import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import { type Logger, silentLogger } from "@codex/wire";
import { requirePath } from "../internal/args.js";
import { BoundedQueue } from "../internal/bounded-queue.js";
import { nextOrdinalOf } from "../internal/next-ordinal.js";
import { isUuid } from "../internal/uuid.js";
import { uuidV7 } from "../internal/uuid-v7.js";
import { RolloutError } from "../rollout-error.js";
import {
  formatRolloutTimestamp,
  parseRolloutItem,
  type RolloutItem,
  serializeRolloutItemPayload,
} from "../schema/rollout-line.js";
import {
  type DynamicToolSpec,
  type GitInfo,
  parseSessionSource,
  type SessionMetaLine,
  type SessionSource,
  sameSessionSource,
  type ThreadSource,
} from "../schema/session-meta.js";
import { collectGitInfo } from "./git-info.js";
import { type EventPersistenceMode, filterPersistedItems } from "./persistence-policy.js";
import { nodeRolloutFs, type RolloutFileHandle, type RolloutFs } from "./rollout-fs.js";
import { rolloutPathFor } from "./rollout-path.js";

/** Capacity of the recorder's command queue (upstream channel size). */
export const RECORDER_QUEUE_CAPACITY = 256;

const MAX_BATCH_BYTES = 1 << 20;
const ITEM_TYPES: ReadonlySet<string> = new Set([
  "session_meta",
  "response_item",
  "compacted",
  "turn_context",
  "event_msg",
  "world_state",
  "token_usage_record",
  "unknown",
]);
const DEFAULT_MAX_PENDING_BYTES = 64 << 20;
const MAX_RETRY_DELAY_MS = 1000;

/** Options shared by {@link RolloutRecorder.create} and {@link RolloutRecorder.resume}. */
export interface RecorderCommonOptions {
  /** `limited` (default) or `extended`. */
  eventPersistenceMode?: EventPersistenceMode;
  /** fsync after every write call (durable, slower). Default false (flush only, as upstream). */
  fsync?: boolean;
  /** Command queue capacity; `record` waits when it is full. Default 256. */
  queueCapacity?: number;
  /** Clock in Unix ms. Default `Date.now`. */
  now?: () => number;
  /** File system. Default node:fs. */
  fs?: RolloutFs;
  /** Warnings (write errors, retries). Silent by default. */
  logger?: Logger;
  /**
   * Bytes of unwritten lines the writer may hold while the disk keeps failing (default 64 MiB).
   * Beyond it the writer stops taking commands and retries with backoff, so callers wait
   * (back-pressure) instead of memory growing.
   */
  maxPendingBytes?: number;
  /** Sleep used between those retries (default `setTimeout`). */
  sleep?: (ms: number) => Promise<void>;
}

/** Options of a new thread's recorder. */
export interface CreateRecorderOptions extends RecorderCommonOptions {
  /** `CODEX_HOME`. */
  codexHome: string;
  /** Thread id (UUID). Default: a fresh time-ordered UUID v7. */
  threadId?: string;
  forkedFromId?: string;
  /** Working directory recorded in the meta line (git info is collected from it). */
  cwd: string;
  /** Default `codex_cli_rs`. */
  originator?: string;
  /** Version of the client writing the file. */
  cliVersion: string;
  /** Who started the session (`cli`, `vscode`, `exec`, …). */
  source: SessionSource;
  threadSource?: ThreadSource;
  agentNickname?: string;
  agentRole?: string;
  agentPath?: string;
  /** Model provider id, or `null`. */
  modelProvider: string | null;
  /** Base instructions text, or `null`. */
  baseInstructions: string | null;
  dynamicTools?: DynamicToolSpec[];
  /** Memory generation off → `memory_mode: "disabled"`. */
  memoryDisabled?: boolean;
  /**
   * Git facts for the meta line, collected when the file is materialised. Default: run `git`
   * in `cwd`. Pass a function to inject, or `null` to record none.
   */
  gitInfo?: ((cwd: string) => Promise<GitInfo | undefined>) | null;
}

/** Options to append to an existing rollout file. */
export interface ResumeRecorderOptions extends RecorderCommonOptions {
  /** The existing rollout file. */
  path: string;
}

/** One queued line: its wire `type` (an unknown item's original one) and payload JSON. */
type Entry = { type: string; json: string };

type Command =
  | { kind: "add"; entries: Entry[] }
  | { kind: "persist"; done: (err?: RolloutError) => void }
  | { kind: "flush"; done: (err?: RolloutError) => void }
  | { kind: "shutdown"; done: (err?: RolloutError) => void };

/**
 * Records a thread's rollout file. One background writer owns the file and is fed by a bounded
 * queue: {@link recordItems} waits when the queue is full. The file (and its `session_meta`
 * line) is created lazily with the first persisted item. Each write call carries whole lines
 * only; after an I/O error the writer reopens the file, starts a fresh line if the failed write
 * left a torn tail, and retries.
 *
 * @example
 * ```ts
 * const rec = RolloutRecorder.create({ codexHome, cwd: "/srv", cliVersion: "0.1.0",
 *   source: "cli", modelProvider: "openai", baseInstructions: null });
 * await rec.recordItems([{ type: "event_msg", payload: { type: "agent_reasoning", text: "hi" } }]);
 * await rec.shutdown();
 * ```
 */
export class RolloutRecorder {
  /** Path of the rollout file (it may not exist yet). */
  readonly path: string;
  /** The thread id. */
  readonly threadId: string | undefined;
  /** The meta line written first (only for recorders made by `create`). */
  readonly sessionMeta: SessionMetaLine | undefined;

  readonly #mode: EventPersistenceMode;
  readonly #fsync: boolean;
  readonly #now: () => number;
  readonly #fs: RolloutFs;
  readonly #logger: Logger;
  readonly #queue: BoundedQueue<Command>;
  readonly #gitInfo: ((cwd: string) => Promise<GitInfo | undefined>) | null;
  #pending: Entry[] = [];
  #pendingBytes = 0;
  readonly #maxPendingBytes: number;
  readonly #sleep: (ms: number) => Promise<void>;
  /** True once the file exists (resume) or `session_meta` has been queued for it (create). */
  #materialized: boolean;
  #handle: RolloutFileHandle | null = null;
  /** Expected file size after our last successful write (for accounting after errors). */
  #knownSize = 0;
  #needNewline = false;
  #closed = false;
  #shutdown: Promise<void> | undefined;
  #terminal: RolloutError | null = null;
  /** `ordinal` of the next line written, for a resumed paginated file; else lines carry none. */
  #nextOrdinal: number | undefined = undefined;

  private constructor(
    path: string,
    threadId: string | undefined,
    meta: SessionMetaLine | undefined,
    materialized: boolean,
    common: RecorderCommonOptions,
    gitInfo: ((cwd: string) => Promise<GitInfo | undefined>) | null,
  ) {
    this.path = path;
    this.threadId = threadId;
    this.sessionMeta = meta;
    this.#materialized = materialized;
    const mode = common.eventPersistenceMode ?? "limited";
    if (mode !== "limited" && mode !== "extended") {
      throw new RolloutError(
        "invalid_argument",
        "eventPersistenceMode must be limited or extended",
      );
    }
    this.#mode = mode;
    this.#fsync = common.fsync ?? false;
    this.#now = common.now ?? Date.now;
    this.#fs = common.fs ?? nodeRolloutFs;
    this.#logger = common.logger ?? silentLogger;
    const cap = common.queueCapacity ?? RECORDER_QUEUE_CAPACITY;
    if (!Number.isInteger(cap) || cap < 1) {
      throw new RolloutError("invalid_argument", "queueCapacity must be a positive integer");
    }
    this.#queue = new BoundedQueue(cap);
    const maxPending = common.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
    if (!Number.isFinite(maxPending) || maxPending < 0) {
      throw new RolloutError("invalid_argument", "maxPendingBytes must be a non-negative number");
    }
    this.#maxPendingBytes = maxPending;
    this.#sleep = common.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.#gitInfo = gitInfo;
    void this.#run();
  }

  /**
   * A recorder for a new thread. Computes the path and the meta line now (local clock for the
   * path, UTC for the meta timestamp) but creates no file.
   */
  static create(options: CreateRecorderOptions): RolloutRecorder {
    const now = options.now ?? Date.now;
    const t = now();
    const threadId = options.threadId ?? uuidV7(t);
    if (!isUuid(threadId)) throw new RolloutError("invalid_argument", "threadId must be a UUID");
    if (typeof options.cwd !== "string" || options.cwd === "") {
      throw new RolloutError("invalid_argument", "cwd must be a non-empty string");
    }
    if (typeof options.codexHome !== "string" || options.codexHome === "") {
      throw new RolloutError("invalid_argument", "codexHome must be a non-empty string");
    }
    if (typeof options.cliVersion !== "string") {
      throw new RolloutError("invalid_argument", "cliVersion must be a string");
    }
    if (options.modelProvider !== null && typeof options.modelProvider !== "string") {
      throw new RolloutError("invalid_argument", "modelProvider must be a string or null");
    }
    if (options.baseInstructions !== null && typeof options.baseInstructions !== "string") {
      throw new RolloutError("invalid_argument", "baseInstructions must be a string or null");
    }
    if (!sameSessionSource(parseSessionSource(options.source), options.source)) {
      throw new RolloutError("invalid_argument", "source is not a valid SessionSource");
    }
    const meta: SessionMetaLine = {
      id: threadId,
      timestamp: formatRolloutTimestamp(t),
      cwd: options.cwd,
      originator: options.originator ?? "codex_cli_rs",
      cli_version: options.cliVersion,
      source: options.source,
      model_provider: options.modelProvider,
      base_instructions:
        options.baseInstructions === null ? null : { text: options.baseInstructions },
    };
    if (options.forkedFromId !== undefined) meta.forked_from_id = options.forkedFromId;
    if (options.threadSource !== undefined) meta.thread_source = options.threadSource;
    if (options.agentNickname !== undefined) meta.agent_nickname = options.agentNickname;
    if (options.agentRole !== undefined) meta.agent_role = options.agentRole;
    if (options.agentPath !== undefined) meta.agent_path = options.agentPath;
    if (options.dynamicTools !== undefined && options.dynamicTools.length > 0) {
      meta.dynamic_tools = options.dynamicTools;
    }
    if (options.memoryDisabled === true) meta.memory_mode = "disabled";
    const path = rolloutPathFor(options.codexHome, threadId, new Date(t));
    const git = options.gitInfo === undefined ? collectGitInfo : options.gitInfo;
    return new RolloutRecorder(path, threadId, meta, false, options, git);
  }

  /** A recorder appending to an existing file; it never writes another `session_meta`. */
  static async resume(options: ResumeRecorderOptions): Promise<RolloutRecorder> {
    requirePath("path", options?.path);
    try {
      const s = await stat(options.path);
      if (!s.isFile()) throw new Error("not a file");
    } catch (cause) {
      throw new RolloutError("file_not_found", "rollout file to resume does not exist", { cause });
    }
    let nextOrdinal: number | undefined;
    try {
      nextOrdinal = await nextOrdinalOf(options.path);
    } catch (cause) {
      if (cause instanceof RolloutError) throw cause;
      throw new RolloutError("io_error", "could not read the rollout file to resume", { cause });
    }
    const rec = new RolloutRecorder(options.path, undefined, undefined, true, options, null);
    // A paginated (0.169) file numbers every line: continue its sequence, or upstream refuses
    // to resume it ("final paginated rollout record … is missing an ordinal"). Legacy stays legacy.
    rec.#nextOrdinal = nextOrdinal;
    return rec;
  }

  /**
   * Queues items after applying the persistence policy. Resolves once queued (waits while the
   * queue is full). Nothing persisted → no-op. The first persisted item creates the file.
   */
  async recordItems(items: readonly RolloutItem[]): Promise<void> {
    this.#checkOpen();
    if (!Array.isArray(items)) throw new RolloutError("invalid_argument", "items must be an array");
    const entries: Entry[] = [];
    try {
      for (const item of items) {
        if (typeof item !== "object" || item === null || !ITEM_TYPES.has(item.type)) {
          throw new RolloutError("invalid_line", "unknown rollout item type");
        }
      }
      for (const item of filterPersistedItems(items, this.#mode)) {
        const payload = serializeRolloutItemPayload(item);
        if (payload === null) continue;
        const json = JSON.stringify(payload);
        const type = item.type === "unknown" ? item.original_type : item.type;
        if (typeof type !== "string" || type === "") throw new Error("no wire type");
        // Every line must read back: an item built by untyped code is checked before queuing.
        parseRolloutItem(type, JSON.parse(json));
        entries.push({ type, json });
      }
    } catch (cause) {
      throw new RolloutError("invalid_argument", "items hold an invalid rollout item", { cause });
    }
    if (entries.length === 0) return;
    await this.#queue.push({ kind: "add", entries });
  }

  /** Creates the file now (with `session_meta`) and writes what is pending. Idempotent. */
  persist(): Promise<void> {
    return this.#barrier("persist");
  }

  /** Resolves when everything queued before it is on disk (a no-op while no file exists). */
  flush(): Promise<void> {
    return this.#barrier("flush");
  }

  /** Drains and stops the writer. On a drain error it rejects and the writer stays alive. */
  shutdown(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#shutdown === undefined) {
      // Once shutdown is asked for, new records and barriers fail fast; a failed drain reopens
      // the recorder so the caller can retry.
      this.#shutdown = this.#barrier("shutdown").catch((err: unknown) => {
        this.#shutdown = undefined;
        throw err;
      });
    }
    return this.#shutdown;
  }

  #checkOpen(): void {
    if (this.#terminal !== null) throw this.#terminal;
    if (this.#closed || this.#shutdown !== undefined) {
      throw new RolloutError("recorder_closed", "rollout recorder is shut down");
    }
  }

  async #barrier(kind: "persist" | "flush" | "shutdown"): Promise<void> {
    if (kind !== "shutdown") this.#checkOpen();
    else if (this.#terminal !== null) throw this.#terminal;
    let done!: (err?: RolloutError) => void;
    const p = new Promise<void>((resolve, reject) => {
      done = (err) => (err === undefined ? resolve() : reject(err));
    });
    await this.#queue.push({ kind, done });
    return p;
  }

  async #run(): Promise<void> {
    try {
      for (;;) {
        const cmd = await this.#queue.take();
        if (cmd.kind === "add") {
          this.#addPending(cmd.entries);
          // Coalesce the adds queued behind this one (at most one queue's worth, so the writer
          // never holds more than capacity + 1 commands) into a single drain.
          for (
            let budget = this.#queue.size, next = this.#queue.peek();
            budget > 0 && next?.kind === "add" && this.#pendingBytes <= this.#maxPendingBytes;
            budget--, next = this.#queue.peek()
          ) {
            this.#queue.tryTake();
            this.#addPending(next.entries);
          }
          if (!this.#materialized) this.#materialize();
          try {
            await this.#drain();
          } catch (err) {
            this.#logger.warn("rollout write failed; will retry", { error: describe(err) });
          }
          // Too much unwritten: hold every record (back-pressure) and retry until it drains.
          // Barriers asked meanwhile are answered with the failure, never left waiting.
          for (let delay = 10; this.#pendingBytes > this.#maxPendingBytes; ) {
            await this.#sleep(delay);
            delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
            try {
              await this.#drain();
            } catch (cause) {
              this.#logger.warn("rollout write failed; backing off", { error: describe(cause) });
              const err = new RolloutError("io_error", "could not write the rollout file", {
                cause,
              });
              for (const c of this.#queue.removeWhere((c) => c.kind !== "add")) {
                if (c.kind !== "add") c.done(err);
              }
            }
          }
          continue;
        }
        if (cmd.kind === "persist" && !this.#materialized) this.#materialize();
        const err = await this.#drainWithRetry();
        if (cmd.kind === "shutdown" && err === undefined) {
          await this.#closeHandle();
          this.#closed = true;
          cmd.done();
          return;
        }
        cmd.done(err);
      }
    } catch (cause) {
      this.#terminal = new RolloutError("recorder_failed", "rollout writer stopped", { cause });
      await this.#closeHandle();
      for (let c = this.#queue.tryTake(); c !== undefined; c = this.#queue.tryTake()) {
        if (c.kind !== "add") c.done(this.#terminal);
      }
    }
  }

  #addPending(entries: Entry[]): void {
    for (const e of entries) {
      this.#pending.push(e);
      this.#pendingBytes += e.json.length;
    }
  }

  /** Puts the meta line in front of everything pending; the file is created by the drain. */
  #materialize(): void {
    const meta = this.sessionMeta;
    this.#materialized = true;
    if (meta === undefined) return;
    this.#pending.unshift({ type: "session_meta", json: "" });
  }

  async #drainWithRetry(): Promise<RolloutError | undefined> {
    try {
      await this.#drain();
      return undefined;
    } catch (first) {
      this.#logger.warn("rollout write failed; reopening and retrying once", {
        error: describe(first),
      });
      try {
        await this.#drain();
        return undefined;
      } catch (cause) {
        return new RolloutError("io_error", "could not write the rollout file", { cause });
      }
    }
  }

  async #open(): Promise<RolloutFileHandle> {
    if (this.#handle !== null) return this.#handle;
    await this.#fs.mkdirp(dirname(this.path));
    const h = await this.#fs.openAppend(this.path);
    try {
      const size = await h.size();
      if (size > 0) {
        const last = new Uint8Array(1);
        const n = await h.readAt(last, size - 1);
        // A failed write may have left a torn tail: begin on a fresh line.
        this.#needNewline = n === 1 && last[0] !== 0x0a;
      } else {
        this.#needNewline = false;
      }
      // Bytes that landed during a failed write count as written up to the last whole line.
      if (this.#inflight !== null && size > this.#knownSize) {
        this.#acknowledge(size - this.#knownSize);
      }
      this.#inflight = null;
      this.#knownSize = size;
    } catch (err) {
      await h.close().catch(() => {});
      throw err;
    }
    this.#handle = h;
    return h;
  }

  /** Byte lengths of the lines of the write in flight (to account for partial writes). */
  #inflight: { prefix: number; lengths: number[] } | null = null;

  /**
   * Drops from `pending` the lines covered by `bytes` of the in-flight write; returns whether
   * those bytes end inside a line (the file then needs a `\n` before the next line). A line that
   * landed whole but for its `\n` is complete JSON a reader accepts, so it counts as written:
   * writing it again would duplicate it.
   */
  #acknowledge(bytes: number): boolean {
    const f = this.#inflight;
    if (f === null) return false;
    if (bytes < f.prefix) return this.#needNewline;
    let left = bytes - f.prefix;
    let whole = 0;
    for (const len of f.lengths) {
      if (left < len - 1) break;
      left -= len;
      whole++;
      if (left < 0) break;
    }
    if (whole > 0) {
      if (this.#nextOrdinal !== undefined) this.#nextOrdinal += whole;
      for (const e of this.#pending.splice(0, whole)) this.#pendingBytes -= e.json.length;
    }
    return left !== 0;
  }

  async #drain(): Promise<void> {
    if (!this.#materialized) return;
    // Also runs with nothing pending to end an unterminated last line (a cut write).
    while (this.#pending.length > 0 || this.#needNewline) {
      const h = await this.#open();
      if (this.#pending.length === 0 && !this.#needNewline) break;
      const ts = formatRolloutTimestamp(this.#now());
      const parts: string[] = [];
      const lengths: number[] = [];
      let bytes = 0;
      const prefix = this.#needNewline ? 1 : 0;
      if (prefix === 1) parts.push("\n");
      for (const e of this.#pending) {
        const json = e.type === "session_meta" && e.json === "" ? await this.#metaJson() : e.json;
        if (json !== e.json) {
          this.#pendingBytes += json.length - e.json.length;
          e.json = json;
        }
        const ordinal =
          this.#nextOrdinal === undefined ? "" : `"ordinal":${this.#nextOrdinal + lengths.length},`;
        const line = `{"timestamp":"${ts}",${ordinal}"type":${JSON.stringify(e.type)},"payload":${json}}\n`;
        const len = Buffer.byteLength(line);
        if (lengths.length > 0 && bytes + len > MAX_BATCH_BYTES) break;
        parts.push(line);
        lengths.push(len);
        bytes += len;
      }
      const buf = Buffer.from(parts.join(""), "utf8");
      this.#inflight = { prefix, lengths };
      let written: number;
      try {
        written = await h.write(buf);
        if (this.#fsync && written === buf.length) await h.sync();
      } catch (err) {
        await this.#closeHandle();
        throw err;
      }
      this.#knownSize += written;
      const torn = this.#acknowledge(written);
      this.#inflight = null;
      if (written === 0) throw new RolloutError("io_error", "rollout write made no progress");
      // A short write that stopped mid-line leaves a torn tail: the next write starts afresh.
      this.#needNewline = torn;
    }
  }

  async #metaJson(): Promise<string> {
    const meta = this.sessionMeta as SessionMetaLine;
    let withGit = meta;
    if (this.#gitInfo !== null) {
      let git: GitInfo | undefined;
      try {
        git = await this.#gitInfo(meta.cwd);
      } catch (err) {
        this.#logger.warn("collecting git info failed", { error: describe(err) });
      }
      if (git !== undefined) withGit = { ...meta, git };
    }
    const payload = serializeRolloutItemPayload({ type: "session_meta", payload: withGit });
    return JSON.stringify(payload);
  }

  async #closeHandle(): Promise<void> {
    const h = this.#handle;
    this.#handle = null;
    if (h !== null) await h.close().catch(() => {});
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return (err as NodeJS.ErrnoException).code ?? err.name;
  return "unknown";
}
