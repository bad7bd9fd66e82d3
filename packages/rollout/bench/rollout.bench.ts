/**
 * `pnpm --filter @codex/rollout bench`: recorder items/s (with and without fsync), resume read
 * MB/s of a ~100 MB rollout beside a plain line-split + JSON.parse baseline, and the first
 * listing page over 10k sessions. Everything runs in a temp dir that is removed afterwards.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  listThreads,
  loadRolloutItems,
  type RolloutItem,
  RolloutRecorder,
  serializeRolloutLine,
} from "../src/index.js";

const root = mkdtempSync(join(tmpdir(), "rollout-bench-"));
const fmt = (n: number, d = 1) => n.toLocaleString("en-US", { maximumFractionDigits: d });

function item(i: number): RolloutItem {
  switch (i % 4) {
    case 0:
      return {
        type: "response_item",
        payload: {
          type: "message",
          role: "assistant",
          content: [{ type: "output_text", text: `answer ${i} `.repeat(20) }],
        },
      };
    case 1:
      return {
        type: "response_item",
        payload: {
          type: "function_call",
          name: "shell_command",
          arguments: JSON.stringify({ command: `ls -la /tmp/${i}`, timeout_ms: 1000 }),
          call_id: `call_${i}`,
        },
      };
    case 2:
      return {
        type: "response_item",
        payload: { type: "function_call_output", call_id: `call_${i}`, output: "x\n".repeat(200) },
      };
    default:
      return {
        type: "event_msg",
        payload: { type: "agent_message", message: `progress ${i} é ✓`, phase: null },
      };
  }
}

async function benchRecorder(fsync: boolean, count: number, flushEach = false): Promise<number> {
  const rec = RolloutRecorder.create({
    codexHome: join(root, `rec-${fsync}-${flushEach}`),
    cwd: "/srv",
    cliVersion: "0.0.0",
    source: "cli",
    modelProvider: "openai",
    baseInstructions: null,
    gitInfo: null,
    fsync,
  });
  const items = Array.from({ length: count }, (_, i) => item(i));
  const t0 = performance.now();
  for (const it of items) {
    await rec.recordItems([it]);
    if (flushEach) await rec.flush();
  }
  await rec.shutdown();
  const secs = (performance.now() - t0) / 1000;
  return count / secs;
}

async function buildBigRollout(path: string, targetBytes: number): Promise<number> {
  const fh = await open(path, "w");
  let size = 0;
  const meta = serializeRolloutLine("2026-05-08T19:36:02.140Z", {
    type: "session_meta",
    payload: {
      id: "0196b0c2-7d1e-7a3b-9c4d-5e6f70819203",
      timestamp: "2026-05-08T19:36:02.101Z",
      cwd: "/srv",
      originator: "codex_cli_rs",
      cli_version: "0.0.0",
      source: "cli",
      model_provider: "openai",
      base_instructions: null,
    },
  }) as string;
  await fh.write(meta);
  size += Buffer.byteLength(meta);
  let i = 0;
  while (size < targetBytes) {
    const parts: string[] = [];
    for (let k = 0; k < 2000; k++) {
      parts.push(serializeRolloutLine("2026-05-08T19:36:02.140Z", item(i++)) as string);
    }
    const chunk = parts.join("");
    await fh.write(chunk);
    size += Buffer.byteLength(chunk);
  }
  await fh.close();
  return size;
}

function baseline(path: string): number {
  const text = readFileSync(path, "utf8");
  let n = 0;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    JSON.parse(line);
    n++;
  }
  return n;
}

function buildSessions(home: string, count: number): void {
  const base = Date.UTC(2026, 0, 1);
  for (let i = 0; i < count; i++) {
    const t = new Date(base + i * 60_000);
    const y = String(t.getUTCFullYear());
    const m = String(t.getUTCMonth() + 1).padStart(2, "0");
    const d = String(t.getUTCDate()).padStart(2, "0");
    const dir = join(home, "sessions", y, m, d);
    mkdirSync(dir, { recursive: true });
    const id = `0196b0c2-7d1e-7a3b-9c4d-${String(i).padStart(12, "0")}`;
    const stamp = t.toISOString().slice(0, 19).replace(/:/g, "-");
    const ts = t.toISOString();
    const lines = [
      {
        timestamp: ts,
        type: "session_meta",
        payload: {
          id,
          timestamp: ts,
          cwd: "/srv",
          originator: "codex_cli_rs",
          cli_version: "0.0.0",
          source: "cli",
          model_provider: "openai",
          base_instructions: null,
        },
      },
      {
        timestamp: ts,
        type: "event_msg",
        payload: {
          type: "user_message",
          message: `task ${i}`,
          images: null,
          local_images: [],
          text_elements: [],
        },
      },
    ];
    writeFileSync(
      join(dir, `rollout-${stamp}-${id}.jsonl`),
      `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`,
    );
  }
}

async function main(): Promise<void> {
  try {
    const plain = await benchRecorder(false, 50_000);
    const synced = await benchRecorder(true, 2_000);
    console.log(
      `recorder, no fsync : ${fmt(plain, 0)} items/s (50,000 items, one record() call each)`,
    );
    console.log(
      `recorder, fsync    : ${fmt(synced, 0)} items/s (2,000 items, one record() call each; one fsync per batch the writer drains)`,
    );
    const durable = await benchRecorder(true, 300, true);
    console.log(
      `recorder, fsync + flush() after every item: ${fmt(durable, 0)} items/s (300 items, each synced before the next)`,
    );

    const big = join(root, "big.jsonl");
    const bytes = await buildBigRollout(big, 100 * 1024 * 1024);
    const mb = bytes / 1024 / 1024;
    // Warm the page cache and the JIT once for both readers, then alternate timed runs.
    baseline(big);
    await loadRolloutItems(big);
    const runs = 3;
    let tBase = Number.POSITIVE_INFINITY;
    let tOurs = Number.POSITIVE_INFINITY;
    let items = 0;
    for (let r = 0; r < runs; r++) {
      let t0 = performance.now();
      baseline(big);
      tBase = Math.min(tBase, performance.now() - t0);
      t0 = performance.now();
      items = (await loadRolloutItems(big)).items.length;
      tOurs = Math.min(tOurs, performance.now() - t0);
    }
    const base = mb / (tBase / 1000);
    const ours = mb / (tOurs / 1000);
    console.log(
      `resume read        : ${fmt(ours)} MB/s (loadRolloutItems, ${fmt(mb)} MB, ${fmt(items, 0)} lines, best of ${runs})`,
    );
    console.log(
      `baseline           : ${fmt(base)} MB/s (readFileSync + split("\\n") + JSON.parse, same file)`,
    );
    console.log(`ratio              : ${fmt(ours / base, 2)}x (target >= 0.8x)`);
    rmSync(big);

    const home = join(root, "home");
    buildSessions(home, 10_000);
    statSync(home);
    await listThreads({ codexHome: home, pageSize: 25 });
    const t0 = performance.now();
    const page = await listThreads({ codexHome: home, pageSize: 25 });
    const ms = performance.now() - t0;
    const t1 = performance.now();
    const last = await listThreads({
      codexHome: home,
      pageSize: 25,
      cursor: "2026-01-01T00:30:00Z|0196b0c2-7d1e-7a3b-9c4d-000000000030",
    });
    const msLast = performance.now() - t1;
    console.log(
      `listing, 10k files : first page of ${page.items.length} in ${fmt(ms)} ms; a page near the end in ${fmt(msLast)} ms (${last.items.length} items)`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
