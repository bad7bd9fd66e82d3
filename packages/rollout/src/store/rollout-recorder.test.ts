import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "@codex/wire";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { validateRolloutLine } from "../../test/schema.js";
import {
  type CreateRecorderOptions,
  loadRolloutItems,
  RolloutError,
  type RolloutFileHandle,
  type RolloutFs,
  type RolloutItem,
  RolloutRecorder,
} from "../index.js";
import { nodeRolloutFs } from "./rollout-fs.js";

const THREAD = "0196b0c2-7d1e-7a3b-9c4d-5e6f70819203";
let home: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "rollout-rec-"));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

function opts(extra: Partial<CreateRecorderOptions> = {}): CreateRecorderOptions {
  let t = Date.UTC(2026, 4, 8, 19, 36, 2, 101);
  return {
    codexHome: home,
    threadId: THREAD,
    cwd: "/srv/demo",
    cliVersion: "0.0.0",
    source: "cli",
    modelProvider: "openai",
    baseInstructions: "You are a coding agent.",
    gitInfo: async () => ({ commit_hash: "3f2a9c1", branch: "main" }),
    now: () => t++,
    ...extra,
  };
}

const msg = (text: string): RolloutItem => ({
  type: "response_item",
  payload: { type: "message", role: "user", content: [{ type: "input_text", text }] },
});
const userEvent = (text: string): RolloutItem => ({
  type: "event_msg",
  payload: {
    type: "user_message",
    message: text,
    images: null,
    local_images: [],
    text_elements: [],
  },
});
const delta: RolloutItem = {
  type: "event_msg",
  payload: { type: "agent_message_delta", fields: { delta: "x" } },
};
const execEnd = (out: string): RolloutItem => ({
  type: "event_msg",
  payload: {
    type: "exec_command_end",
    fields: {
      call_id: "c",
      turn_id: "t",
      command: ["ls"],
      cwd: "/",
      parsed_cmd: [],
      stdout: "so",
      stderr: "se",
      aggregated_output: out,
      exit_code: 0,
      duration: { secs: 0, nanos: 1 },
      formatted_output: "fo",
      status: "completed",
    },
  },
});

/** The real file system, with each opened handle's methods overridden by `wrap`. */
function wrapHandles(wrap: (h: RolloutFileHandle) => Partial<RolloutFileHandle>): RolloutFs {
  return {
    mkdirp: (p) => nodeRolloutFs.mkdirp(p),
    async openAppend(p) {
      const h = await nodeRolloutFs.openAppend(p);
      return { ...h, ...wrap(h) };
    },
  };
}

/** Every write fails with `code` while `broken()` holds. */
function failWritesWhile(broken: () => boolean, code: string): RolloutFs {
  return wrapHandles((h) => ({
    async write(data) {
      if (broken()) throw Object.assign(new Error(code), { code });
      return h.write(data);
    },
  }));
}

/** A `sleep` that records each delay and returns only when `wake()` is called. */
function manualSleep(): {
  sleep: (ms: number) => Promise<void>;
  delays: number[];
  wake: () => void;
} {
  const delays: number[] = [];
  let resume = (): void => {};
  return {
    delays,
    sleep: (ms) => {
      delays.push(ms);
      return new Promise<void>((r) => {
        resume = r;
      });
    },
    wake: () => resume(),
  };
}

/** Lets the writer run (real fs calls included) until `cond` holds; no clock involved. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 100_000 && !cond(); i++) await new Promise((r) => setImmediate(r));
}

function lines(path: string): string[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l !== "");
}

describe("RolloutRecorder", () => {
  it("creates the file lazily under sessions/YYYY/MM/DD with the local-time name", async () => {
    const rec = RolloutRecorder.create(opts());
    const d = new Date(Date.UTC(2026, 4, 8, 19, 36, 2, 101));
    const p2 = (n: number) => String(n).padStart(2, "0");
    const stamp = `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}-${p2(d.getMinutes())}-${p2(d.getSeconds())}`;
    expect(rec.path).toBe(
      join(
        home,
        "sessions",
        String(d.getFullYear()),
        p2(d.getMonth() + 1),
        p2(d.getDate()),
        `rollout-${stamp}-${THREAD}.jsonl`,
      ),
    );
    await rec.flush();
    expect(existsSync(rec.path)).toBe(false);
    await rec.recordItems([delta]);
    await rec.flush();
    expect(existsSync(rec.path)).toBe(false);
    await rec.recordItems([msg("hi")]);
    await rec.flush();
    const written = lines(rec.path);
    expect(written).toHaveLength(2);
    const meta = JSON.parse(written[0] ?? "");
    expect(meta.type).toBe("session_meta");
    expect(meta.payload).toEqual({
      id: THREAD,
      timestamp: "2026-05-08T19:36:02.101Z",
      cwd: "/srv/demo",
      originator: "codex_cli_rs",
      cli_version: "0.0.0",
      source: "cli",
      model_provider: "openai",
      base_instructions: { text: "You are a coding agent." },
      git: { commit_hash: "3f2a9c1", branch: "main" },
    });
    for (const l of written) expect(validateRolloutLine(JSON.parse(l)).ok).toBe(true);
    await rec.shutdown();
  });

  it("shutdown of a recorder that never persisted leaves no file", async () => {
    const rec = RolloutRecorder.create(opts());
    await rec.shutdown();
    expect(existsSync(rec.path)).toBe(false);
    await expect(rec.recordItems([msg("late")])).rejects.toMatchObject({ code: "recorder_closed" });
  });

  it("shutdown is idempotent and closes the door to later calls at once", async () => {
    const rec = RolloutRecorder.create(opts());
    await rec.recordItems([msg("a")]);
    const first = rec.shutdown();
    const second = rec.shutdown();
    await expect(rec.flush()).rejects.toMatchObject({ code: "recorder_closed" });
    await expect(rec.recordItems([msg("b")])).rejects.toMatchObject({ code: "recorder_closed" });
    await Promise.all([first, second]);
    await rec.shutdown();
    expect((await loadRolloutItems(rec.path)).items).toHaveLength(2);
  });

  it("persist() materialises the file with only session_meta, idempotently", async () => {
    const rec = RolloutRecorder.create(opts({ gitInfo: null }));
    await rec.persist();
    await rec.persist();
    const written = lines(rec.path);
    expect(written).toHaveLength(1);
    expect(JSON.parse(written[0] ?? "").payload.git).toBeUndefined();
    await rec.shutdown();
  });

  it("applies the limited policy", async () => {
    const rec = RolloutRecorder.create(opts());
    await rec.recordItems([userEvent("a"), delta, execEnd("x"), msg("b")]);
    await rec.shutdown();
    const types = lines(rec.path).map((l) => {
      const parsed = JSON.parse(l);
      return parsed.type === "session_meta" ? "session_meta" : parsed.payload.type;
    });
    expect(types).toEqual(["session_meta", "user_message", "message"]);
    expect(lines(rec.path).some((l) => l.includes("exec_command_end"))).toBe(false);
  });

  it("extended policy keeps exec_command_end, trimmed", async () => {
    const rec = RolloutRecorder.create(opts({ eventPersistenceMode: "extended" }));
    await rec.recordItems([execEnd("y".repeat(50_000))]);
    await rec.shutdown();
    const last = JSON.parse(lines(rec.path)[1] ?? "");
    expect(last.payload.type).toBe("exec_command_end");
    expect(last.payload.stdout).toBe("");
    expect(last.payload.stderr).toBe("");
    expect(last.payload.formatted_output).toBe("");
    expect(Buffer.byteLength(last.payload.aggregated_output)).toBeLessThanOrEqual(10_000);
    expect(validateRolloutLine(last).ok).toBe(true);
  });

  it("writes items in order across many calls", async () => {
    const rec = RolloutRecorder.create(opts({ queueCapacity: 4 }));
    const all = Array.from({ length: 500 }, (_, i) => msg(`m${i}`));
    await Promise.all(all.map((m) => rec.recordItems([m])));
    await rec.shutdown();
    const loaded = await loadRolloutItems(rec.path);
    expect(loaded.parseErrors).toBe(0);
    expect(loaded.items.slice(1).map((l) => l.payload)).toEqual(all.map((m) => m.payload));
  });

  it("applies back-pressure: record() waits while the queue is full", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const gatedFs = wrapHandles((h) => ({
      async write(data) {
        await gate;
        return h.write(data);
      },
    }));
    const rec = RolloutRecorder.create(opts({ queueCapacity: 2, fs: gatedFs }));
    const settled: boolean[] = [];
    const calls = Array.from({ length: 6 }, (_, i) => {
      settled[i] = false;
      return rec.recordItems([msg(`m${i}`)]).then(() => {
        settled[i] = true;
      });
    });
    await until(() => settled.filter(Boolean).length >= 5);
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    // The writer took the first command and coalesced the two queued behind it into one batch
    // (now blocked on write); two more refilled the queue; the sixth caller is still waiting.
    expect(settled).toEqual([true, true, true, true, true, false]);
    release();
    await Promise.all(calls);
    await rec.shutdown();
    expect((await loadRolloutItems(rec.path)).items).toHaveLength(7);
  });

  it("after a failed write it reopens and starts a fresh line; nothing lost or duplicated", async () => {
    let writes = 0;
    const flaky = wrapHandles((h) => ({
      async write(data) {
        writes++;
        if (writes === 2) {
          // Half the batch lands, then the device reports an error.
          await h.write(data.subarray(0, Math.floor(data.length / 2)));
          throw Object.assign(new Error("EIO"), { code: "EIO" });
        }
        return h.write(data);
      },
    }));
    const warnings: string[] = [];
    const rec = RolloutRecorder.create(
      opts({ fs: flaky, logger: { ...silentLogger, warn: (m) => warnings.push(m) } }),
    );
    await rec.recordItems([msg("first")]);
    await rec.flush();
    const batch = Array.from({ length: 5 }, (_, i) => msg(`batch-${i}-${"z".repeat(i * 7)}`));
    await rec.recordItems(batch);
    await rec.flush();
    await rec.recordItems([msg("after")]);
    await rec.shutdown();
    expect(warnings.length).toBeGreaterThan(0);
    const loaded = await loadRolloutItems(rec.path);
    expect(loaded.parseErrors).toBe(1);
    expect(loaded.tornTail).toBe(false);
    const texts = loaded.items
      .slice(1)
      .map((l) => (l.payload as { content: { text: string }[] }).content[0]?.text);
    expect(texts).toEqual([
      "first",
      ...batch.map((b) => (b.payload as { content: { text: string }[] }).content[0]?.text),
      "after",
    ]);
    expect(readFileSync(rec.path, "utf8").endsWith("\n")).toBe(true);
  });

  it("after a short write it rewrites the torn line on a fresh line", async () => {
    let writes = 0;
    const short = wrapHandles((h) => ({
      async write(data) {
        writes++;
        // The second write call only gets part of its bytes onto the disk (mid-line).
        return h.write(writes === 2 ? data.subarray(0, Math.floor(data.length * 0.4)) : data);
      },
    }));
    const rec = RolloutRecorder.create(opts({ fs: short }));
    await rec.recordItems([msg("a")]);
    await rec.flush();
    await rec.recordItems([msg("b"), msg("c"), msg("d")]);
    await rec.shutdown();
    const loaded = await loadRolloutItems(rec.path);
    expect(loaded.parseErrors).toBe(1);
    expect(
      loaded.items
        .slice(1)
        .map((l) => (l.payload as { content: { text: string }[] }).content[0]?.text),
    ).toEqual(["a", "b", "c", "d"]);
  });

  it.each([
    ["a short write", false],
    ["a write that fails after its bytes landed", true],
  ])(
    "%s that stops just before a line's newline does not write that line twice",
    async (_n, fail) => {
      let writes = 0;
      const shy = wrapHandles((h) => ({
        async write(data) {
          writes++;
          if (writes !== 2) return h.write(data);
          // Everything but the final "\n" lands: the last line is complete JSON, unterminated.
          const n = await h.write(data.subarray(0, data.length - 1));
          if (fail) throw Object.assign(new Error("EIO"), { code: "EIO" });
          return n;
        },
      }));
      const rec = RolloutRecorder.create(opts({ fs: shy }));
      await rec.recordItems([msg("a")]);
      await rec.flush();
      await rec.recordItems([msg("b"), msg("c")]);
      await rec.flush();
      // The barrier also ends the unterminated line: the file is whole lines again.
      expect(readFileSync(rec.path, "utf8").endsWith("}\n")).toBe(true);
      await rec.recordItems([msg("d")]);
      await rec.shutdown();
      const loaded = await loadRolloutItems(rec.path);
      expect(loaded.parseErrors).toBe(0);
      expect(
        loaded.items
          .slice(1)
          .map((l) => (l.payload as { content: { text: string }[] }).content[0]?.text),
      ).toEqual(["a", "b", "c", "d"]);
    },
  );

  it("random short writes, failed writes, failed opens and failed syncs never lose, double or glue a line", async () => {
    for (let seed = 1; seed <= 60; seed++) {
      let state = seed;
      const rand = (): number => {
        state = (state * 1664525 + 1013904223) >>> 0;
        return state / 2 ** 32;
      };
      const eio = () => Object.assign(new Error("EIO"), { code: "EIO" });
      const faulty: RolloutFs = {
        mkdirp: (p) => nodeRolloutFs.mkdirp(p),
        async openAppend(p) {
          if (rand() < 0.1) throw eio();
          const h = await nodeRolloutFs.openAppend(p);
          return {
            ...h,
            async write(data) {
              const x = rand();
              const cut = 1 + Math.floor(rand() * (data.length - 1));
              if (x < 0.15) {
                await h.write(data.subarray(0, cut));
                throw eio();
              }
              return h.write(x < 0.3 ? data.subarray(0, cut) : data);
            },
            async sync() {
              if (rand() < 0.2) throw eio();
              await h.sync();
            },
          };
        },
      };
      const rec = RolloutRecorder.create(
        opts({
          threadId: `0196b0c2-7d1e-7a3b-9c4d-${String(seed).padStart(12, "0")}`,
          fs: faulty,
          fsync: seed % 2 === 0,
          queueCapacity: 1 + (seed % 4),
          maxPendingBytes: seed % 3 === 0 ? 500 : 1 << 20,
          sleep: async () => {},
        }),
      );
      const want: string[] = [];
      const pending: Promise<unknown>[] = [];
      for (let i = 0; i < 30; i++) {
        const batch = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, k) => {
          const text = `m${i}-${k}-${"é".repeat(Math.floor(rand() * 40))}`;
          want.push(text);
          return msg(text);
        });
        pending.push(rec.recordItems(batch));
        if (rand() < 0.2) pending.push(rec.flush().catch(() => {}));
      }
      await Promise.all(pending);
      let closed = false;
      for (let attempt = 0; attempt < 100 && !closed; attempt++) {
        closed = await rec.shutdown().then(
          () => true,
          () => false,
        );
      }
      expect(closed).toBe(true);
      const text = readFileSync(rec.path, "utf8");
      expect(text.endsWith("\n")).toBe(true);
      const loaded = await loadRolloutItems(rec.path);
      expect(loaded.items.filter((l) => l.type === "session_meta")).toHaveLength(1);
      expect(
        loaded.items
          .slice(1)
          .map((l) => (l.payload as { content: { text: string }[] }).content[0]?.text),
      ).toEqual(want);
      // A skipped line is only ever a torn fragment, never fragment + a later line.
      for (const line of text.split("\n")) {
        expect(line.indexOf('{"timestamp"', 1)).toBe(-1);
      }
    }
  });

  it("a barrier retries once, then reports io_error and keeps the items for later", async () => {
    let broken = true;
    const failing = failWritesWhile(() => broken, "ENOSPC");
    const rec = RolloutRecorder.create(opts({ fs: failing }));
    await rec.recordItems([msg("kept")]);
    const err = await rec.flush().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RolloutError);
    expect((err as RolloutError).code).toBe("io_error");
    broken = false;
    await rec.shutdown();
    const loaded = await loadRolloutItems(rec.path);
    expect(loaded.items.map((l) => l.type)).toEqual(["session_meta", "response_item"]);
  });

  it("holds callers instead of growing memory while the disk keeps failing", async () => {
    let broken = true;
    const failing = failWritesWhile(() => broken, "EIO");
    const { sleep, delays, wake } = manualSleep();
    const rec = RolloutRecorder.create(
      opts({ fs: failing, queueCapacity: 1, maxPendingBytes: 300, sleep }),
    );
    const settled: boolean[] = [];
    const calls = Array.from({ length: 8 }, (_, i) =>
      rec.recordItems([msg(`item-${i}-${"x".repeat(100)}`)]).then(() => {
        settled[i] = true;
      }),
    );
    await until(() => delays.length === 1);
    expect(delays).toEqual([10]);
    expect(settled.filter(Boolean).length).toBeLessThan(8);
    wake();
    await until(() => delays.length === 2);
    expect(delays).toEqual([10, 20]);
    broken = false;
    wake();
    await Promise.all(calls);
    await rec.shutdown();
    const loaded = await loadRolloutItems(rec.path);
    expect(loaded.parseErrors).toBe(0);
    expect(
      loaded.items
        .slice(1)
        .map((l) =>
          (l.payload as { content: { text: string }[] }).content[0]?.text
            .split("-")
            .slice(0, 2)
            .join("-"),
        ),
    ).toEqual(Array.from({ length: 8 }, (_, i) => `item-${i}`));
  });

  it("a dead disk fails flush and shutdown instead of leaving them waiting behind held records", async () => {
    let broken = true;
    const failing = failWritesWhile(() => broken, "EIO");
    const { sleep, delays, wake } = manualSleep();
    const rec = RolloutRecorder.create(
      opts({ fs: failing, queueCapacity: 4, maxPendingBytes: 300, sleep }),
    );
    const records = Array.from({ length: 4 }, (_, i) =>
      rec.recordItems([msg(`item-${i}-${"x".repeat(100)}`)]),
    );
    await until(() => delays.length === 1);
    // The writer holds records while it retries; a barrier asked now must still get an answer.
    const flushed = rec.flush().then(
      () => "resolved",
      (e: unknown) => (e as RolloutError).code,
    );
    wake();
    await until(() => delays.length === 2);
    expect(await flushed).toBe("io_error");
    const stopped = rec.shutdown().then(
      () => "resolved",
      (e: unknown) => (e as RolloutError).code,
    );
    wake();
    await until(() => delays.length === 3);
    expect(await stopped).toBe("io_error");
    broken = false;
    wake();
    await Promise.all(records);
    await rec.shutdown();
    const loaded = await loadRolloutItems(rec.path);
    expect(loaded.parseErrors).toBe(0);
    expect(loaded.items.map((l) => l.type)).toEqual([
      "session_meta",
      ...records.map(() => "response_item"),
    ]);
  });

  it("fsync option syncs after writes", async () => {
    let syncs = 0;
    const counting = wrapHandles((h) => ({
      async sync() {
        syncs++;
        await h.sync();
      },
    }));
    const rec = RolloutRecorder.create(opts({ fs: counting, fsync: true }));
    await rec.recordItems([msg("a")]);
    await rec.shutdown();
    expect(syncs).toBeGreaterThan(0);
    const rec2 = RolloutRecorder.create(
      opts({ fs: counting, threadId: "0196b0c2-7d1e-7a3b-9c4d-5e6f70819204" }),
    );
    const before = syncs;
    await rec2.recordItems([msg("a")]);
    await rec2.shutdown();
    expect(syncs).toBe(before);
  });

  it("resume appends without another session_meta and starts on a fresh line", async () => {
    const rec = RolloutRecorder.create(opts());
    await rec.recordItems([msg("one")]);
    await rec.shutdown();
    writeFileSync(rec.path, `${readFileSync(rec.path, "utf8")}{"timestamp":"torn`);
    const resumed = await RolloutRecorder.resume({ path: rec.path });
    await resumed.recordItems([msg("two")]);
    await resumed.shutdown();
    const loaded = await loadRolloutItems(rec.path);
    expect(loaded.items.map((l) => l.type)).toEqual([
      "session_meta",
      "response_item",
      "response_item",
    ]);
    expect(loaded.parseErrors).toBe(1);
  });

  it.each([
    [
      "missing resume file",
      () => RolloutRecorder.resume({ path: join(tmpdir(), "nope", "x.jsonl") }),
      "file_not_found",
    ],
    [
      "non-uuid thread id",
      async () => RolloutRecorder.create(opts({ threadId: "abc" })),
      "invalid_argument",
    ],
    ["empty cwd", async () => RolloutRecorder.create(opts({ cwd: "" })), "invalid_argument"],
    [
      "unknown persistence mode",
      async () =>
        RolloutRecorder.create(opts({ eventPersistenceMode: "everything" as "extended" })),
      "invalid_argument",
    ],
    [
      "zero queue",
      async () => RolloutRecorder.create(opts({ queueCapacity: 0 })),
      "invalid_argument",
    ],
    [
      "empty codexHome",
      async () => RolloutRecorder.create(opts({ codexHome: "" })),
      "invalid_argument",
    ],
    [
      "bad source",
      async () => RolloutRecorder.create(opts({ source: "weird" as "cli" })),
      "invalid_argument",
    ],
    [
      "bad provider",
      async () => RolloutRecorder.create(opts({ modelProvider: 5 as unknown as string })),
      "invalid_argument",
    ],
    [
      "bad instructions",
      async () => RolloutRecorder.create(opts({ baseInstructions: {} as unknown as string })),
      "invalid_argument",
    ],
  ])("rejects %s", async (_n, fn, code) => {
    await expect(fn()).rejects.toMatchObject({ name: "RolloutError", code });
  });

  it("rejects a non-array batch", async () => {
    const rec = RolloutRecorder.create(opts());
    await expect(rec.recordItems("x" as unknown as RolloutItem[])).rejects.toMatchObject({
      code: "invalid_argument",
    });
    await rec.shutdown();
  });
});
