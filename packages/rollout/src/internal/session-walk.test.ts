import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { walkFlatDesc, walkSessionsDesc } from "./session-walk.js";

let root: string;
const ID = (n: number) => `0196b0c2-7d1e-7a3b-9c4d-${String(n).padStart(12, "0")}`;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "rollout-walk-"));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function touch(...parts: string[]): void {
  mkdirSync(join(root, ...parts.slice(0, -1)), { recursive: true });
  writeFileSync(join(root, ...parts), "");
}

async function collect(gen: AsyncGenerator<{ name: string }>): Promise<string[]> {
  const out: string[] = [];
  for await (const c of gen) out.push(c.name);
  return out;
}

describe("session walk", () => {
  it("walks year, month, day folders in descending numeric order", async () => {
    touch("2025", "12", "31", `rollout-2025-12-31T23-59-59-${ID(1)}.jsonl`);
    touch("2026", "2", "1", `rollout-2026-02-01T00-00-00-${ID(2)}.jsonl`);
    touch("2026", "10", "01", `rollout-2026-10-01T00-00-00-${ID(3)}.jsonl`);
    touch("2026", "10", "01", `rollout-2026-10-01T00-00-00-${ID(4)}.jsonl`);
    touch("2026", "10", "01", "notes.txt");
    touch("latest", "x", "y", `rollout-2027-01-01T00-00-00-${ID(5)}.jsonl`);
    expect(await collect(walkSessionsDesc(root))).toEqual([
      `rollout-2026-10-01T00-00-00-${ID(4)}.jsonl`,
      `rollout-2026-10-01T00-00-00-${ID(3)}.jsonl`,
      `rollout-2026-02-01T00-00-00-${ID(2)}.jsonl`,
      `rollout-2025-12-31T23-59-59-${ID(1)}.jsonl`,
    ]);
    expect(await collect(walkSessionsDesc(root, Date.UTC(2026, 1, 1, 12)))).toEqual([
      `rollout-2026-02-01T00-00-00-${ID(2)}.jsonl`,
      `rollout-2025-12-31T23-59-59-${ID(1)}.jsonl`,
    ]);
    expect(await collect(walkSessionsDesc(join(root, "missing")))).toEqual([]);
  });

  it("walks a flat folder newest first", async () => {
    touch(`rollout-2026-01-01T00-00-00-${ID(1)}.jsonl`);
    touch(`rollout-2026-03-01T00-00-00-${ID(2)}.jsonl`);
    expect(await collect(walkFlatDesc(root))).toEqual([
      `rollout-2026-03-01T00-00-00-${ID(2)}.jsonl`,
      `rollout-2026-01-01T00-00-00-${ID(1)}.jsonl`,
    ]);
  });
});
