import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  appendRolloutItemToPath,
  listThreads,
  loadRolloutItems,
  parseRolloutLineText,
  RolloutRecorder,
  readThreadItem,
  type SerializeLineOptions,
  serializeRolloutLine,
} from "../src/index.js";
import { validateRolloutLine, validateRolloutLine0169 } from "./schema.js";

// Real files written by codex-cli 0.169.0 (fixtures/upstream-0.169/README.md says how).
const dir = new URL("./fixtures/upstream-0.169/", import.meta.url);
const FILES = [
  "http.jsonl",
  "ws.jsonl",
  "http-resumed.jsonl",
  "ours-legacy-before.jsonl",
  "ours-legacy-after-upstream-resume.jsonl",
];
const path = (name: string) => new URL(name, dir).pathname;
const lines = (name: string) =>
  readFileSync(path(name), "utf8")
    .split("\n")
    .filter((l) => l !== "");

const tmp = mkdtempSync(join(tmpdir(), "rollout-0169-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("real codex 0.169 rollout files", () => {
  it.each(FILES)("%s reads with 0 errors, every line an item", async (name) => {
    const loaded = await loadRolloutItems(path(name));
    expect(loaded.parseErrors).toBe(0);
    expect(loaded.tornTail).toBe(false);
    expect(loaded.items).toHaveLength(lines(name).length);
    expect(loaded.threadId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("models 0.169's line types, ordinal, metadata and new session-meta / turn-context keys", async () => {
    const { items, sessionMeta } = await loadRolloutItems(path("http.jsonl"));
    expect(items.map((l) => l.ordinal)).toEqual([...Array(14).keys()]);
    expect(items.map((l) => l.type)).toContain("world_state");
    expect(items.map((l) => l.type)).toContain("token_usage_record");
    expect(items.some((l) => l.type === "unknown")).toBe(false);
    const events = items.flatMap((l) => (l.type === "event_msg" ? [l.payload.type] : []));
    expect(events).toContain("thread_settings_applied");
    expect(events).not.toContain("unknown");
    const withMetadata = items.filter((l) => l.metadata !== undefined);
    expect(withMetadata.map((l) => l.type)).toEqual(Array(4).fill("response_item"));
    expect(sessionMeta).toMatchObject({ account_scoped: true, session_id: sessionMeta?.id });
    expect(sessionMeta?.runtime_workspace_roots).toEqual([sessionMeta?.cwd]);
    const tc = items.find((l) => l.type === "turn_context");
    expect(tc?.type === "turn_context" && tc.payload.optional).toMatchObject({
      root_turn_id: expect.any(String),
      disabled_plugin_ids: [],
      approvals_reviewer: "user",
      active_permission_profile: { id: ":read-only" },
    });
  });

  it.each(FILES)("%s: read → write keeps every key and value of every line", async (name) => {
    const { items } = await loadRolloutItems(path(name));
    const original = lines(name);
    items.forEach((line, i) => {
      const opts: SerializeLineOptions = {};
      if (line.ordinal !== undefined) opts.ordinal = line.ordinal;
      if (line.metadata !== undefined) opts.metadata = line.metadata;
      if (line.extra !== undefined) opts.extra = line.extra;
      const written = serializeRolloutLine(line.timestamp, line, opts);
      expect(JSON.parse(written ?? "null"), `${name} line ${i + 1}`).toEqual(
        JSON.parse(original[i] ?? ""),
      );
    });
  });

  it("keeps line-level keys it does not know through read → write, after the known ones", () => {
    const text =
      '{"timestamp":"2026-12-05T10:00:00.000Z","ordinal":3,"type":"event_msg",' +
      '"payload":{"type":"context_compacted"},"metadata":{"m":1},"shard":"b","__proto__":{"x":1}}';
    const line = parseRolloutLineText(text);
    expect(line.extra).toEqual(JSON.parse('{"shard":"b","__proto__":{"x":1}}'));
    expect(Object.getPrototypeOf(line.extra)).toBe(Object.prototype);
    const written = serializeRolloutLine(line.timestamp, line, {
      ordinal: 3,
      metadata: { m: 1 },
      ...(line.extra === undefined ? {} : { extra: line.extra }),
    });
    expect(written).toBe(`${text}\n`);
    // A line without unknown keys carries no `extra` at all.
    expect(
      parseRolloutLineText(
        '{"timestamp":"2026-12-05T10:00:00.000Z","type":"event_msg","payload":{"type":"context_compacted"}}',
      ).extra,
    ).toBeUndefined();
  });

  it("lists 0.169 sessions with their first user message as preview", async () => {
    const home = join(tmp, "home");
    for (const name of ["http.jsonl", "ws.jsonl"]) {
      const { items } = await loadRolloutItems(path(name));
      const meta = items[0];
      if (meta?.type !== "session_meta") throw new Error("no meta");
      const t = meta.payload.timestamp;
      const day = join(home, "sessions", t.slice(0, 4), t.slice(5, 7), t.slice(8, 10));
      mkdirSync(day, { recursive: true });
      const stamp = t.slice(0, 19).replace(/:/g, "-");
      copyFileSync(path(name), join(day, `rollout-${stamp}-${meta.payload.id}.jsonl`));
    }
    const page = await listThreads({ codexHome: home, pageSize: 10 });
    expect(page.items).toHaveLength(2);
    for (const item of page.items) {
      expect(item.firstUserMessage).toBe("say hi");
      expect(item.source).toBe("exec");
      expect(item.modelProvider).toBe("fake");
      expect(item.cliVersion).toBe("0.169.0");
    }
    const one = await readThreadItem(path("http-resumed.jsonl"));
    expect(one?.firstUserMessage).toBe("say hi");
  });
});

describe("appending to real 0.169 files", () => {
  const reply = {
    type: "event_msg" as const,
    payload: { type: "agent_message" as const, message: "appended", phase: null },
  };
  const copy = (name: string): string => {
    const to = join(tmp, `append-${Math.random().toString(36).slice(2)}-${name}`);
    copyFileSync(path(name), to);
    return to;
  };
  const lastLine = (p: string) => JSON.parse(lines_(p).at(-1) ?? "null");
  const lines_ = (p: string) =>
    readFileSync(p, "utf8")
      .split("\n")
      .filter((l) => l !== "");

  it("RolloutRecorder.resume continues a paginated file's ordinals", async () => {
    const p = copy("http-resumed.jsonl");
    const rec = await RolloutRecorder.resume({ path: p });
    await rec.recordItems([reply, reply]);
    await rec.shutdown();
    const all = lines_(p).map((l) => JSON.parse(l));
    expect(all.map((l) => l.ordinal)).toEqual([...Array(26).keys()]);
    expect(Object.keys(all[24])).toEqual(["timestamp", "ordinal", "type", "payload"]);
    const loaded = await loadRolloutItems(p);
    expect(loaded.parseErrors).toBe(0);
  });

  it("a legacy file stays legacy (ours, and after upstream appended to it)", async () => {
    for (const name of ["ours-legacy-before.jsonl", "ours-legacy-after-upstream-resume.jsonl"]) {
      const p = copy(name);
      const rec = await RolloutRecorder.resume({ path: p });
      await rec.recordItems([reply]);
      await rec.shutdown();
      expect(lastLine(p).ordinal).toBeUndefined();
      await appendRolloutItemToPath(p, reply);
      expect(lastLine(p).ordinal).toBeUndefined();
    }
  });

  it("refuses, as upstream does, a paginated file whose last record has no ordinal", async () => {
    const p = copy("http.jsonl");
    appendFileSync(
      p,
      '{"timestamp":"2026-12-05T16:06:06.000Z","type":"compacted","payload":{"message":"m"}}\n',
    );
    const before = readFileSync(p, "utf8");
    await expect(RolloutRecorder.resume({ path: p })).rejects.toMatchObject({
      code: "invalid_line",
    });
    await expect(appendRolloutItemToPath(p, reply)).rejects.toMatchObject({ code: "invalid_line" });
    expect(readFileSync(p, "utf8")).toBe(before);
  });

  it("appendRolloutItemToPath continues the sequence too, also after a torn last line", async () => {
    const p = copy("http.jsonl");
    await appendRolloutItemToPath(p, reply);
    expect(lastLine(p).ordinal).toBe(14);
    appendFileSync(p, '{"timestamp":"2026-12-05T16:06:06.000Z","ordinal":15,"ty');
    await appendRolloutItemToPath(p, reply);
    expect(lastLine(p).ordinal).toBe(15);
    const loaded = await loadRolloutItems(p);
    expect(loaded.parseErrors).toBe(1);
    expect(loaded.items.map((l) => l.ordinal)).toEqual([...Array(16).keys()]);
  });
});

describe("0.169 key order", () => {
  it("writes session_meta and turn_context of a real file back in 0.169's key order", async () => {
    const { items } = await loadRolloutItems(path("http.jsonl"));
    const original = lines("http.jsonl");
    for (const type of ["session_meta", "turn_context"]) {
      const i = items.findIndex((l) => l.type === type);
      const line = items[i];
      if (line === undefined) throw new Error(`no ${type}`);
      const written = serializeRolloutLine(line.timestamp, line, { ordinal: i });
      const keys = (text: string) => Object.keys(JSON.parse(text).payload);
      if (type === "session_meta") {
        expect(keys(written ?? "")).toEqual(keys(original[i] ?? ""));
      } else {
        // Older upstream wrote sandbox_policy after approval_policy (pinned by the turn-context
        // tests); 0.169 writes it last. Every other key keeps 0.169's order.
        const without = (k: string[]) => k.filter((x) => x !== "sandbox_policy");
        expect(without(keys(written ?? ""))).toEqual(without(keys(original[i] ?? "")));
      }
    }
  });
});

describe("the vendored line schema, refreshed for 0.169", () => {
  const all = FILES.flatMap((name) => lines(name).map((l, i) => [`${name}:${i + 1}`, l] as const));

  it("the vendored (older) schema alone rejects exactly 0.169's new shapes", () => {
    const rejected = all
      .filter(([, l]) => !validateRolloutLine(JSON.parse(l)).ok)
      .map(([, l]) => {
        const v = JSON.parse(l);
        return v.type === "event_msg" ? `event_msg.${v.payload.type}` : v.type;
      });
    expect(new Set(rejected)).toEqual(
      new Set(["world_state", "token_usage_record", "event_msg.thread_settings_applied"]),
    );
  });

  it("every real 0.169 line validates against the refreshed schema", () => {
    for (const [where, l] of all) {
      expect(validateRolloutLine0169(JSON.parse(l)), where).toEqual({ ok: true, errors: "" });
    }
  });

  it("the refreshed schema still rejects a broken 0.169 shape", () => {
    const bad = { timestamp: "t", ordinal: 1, type: "token_usage_record", payload: { usage: {} } };
    expect(validateRolloutLine0169(bad).ok).toBe(false);
  });

  it("every line we write for a 0.169 file validates against it", async () => {
    const { items } = await loadRolloutItems(path("http-resumed.jsonl"));
    for (const line of items) {
      const opts: { ordinal?: number; metadata?: typeof line.metadata } = {};
      if (line.ordinal !== undefined) opts.ordinal = line.ordinal;
      if (line.metadata !== undefined) opts.metadata = line.metadata;
      const written = serializeRolloutLine(line.timestamp, line, opts);
      expect(validateRolloutLine0169(JSON.parse(written ?? "null")).ok).toBe(true);
    }
  });
});
