import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rolloutTokenTotals } from "./rollout-token-totals.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "exec-rollout-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ID = "01a24781-d07b-7b52-8fe0-3f8d00d83aba";
const meta = {
  timestamp: "2026-12-05T18:40:19.680Z",
  type: "session_meta",
  payload: {
    id: ID,
    timestamp: "2026-12-05T18:40:19.590Z",
    cwd: "/w",
    originator: "codex_exec",
    cli_version: "0.169.0",
    source: "exec",
  },
};
const tokenCount = (input: number, output: number) => ({
  timestamp: "2026-12-05T18:40:21.000Z",
  type: "event_msg",
  payload: {
    type: "token_count",
    info: {
      total_token_usage: {
        input_tokens: input,
        cached_input_tokens: 1,
        cache_write_input_tokens: 0,
        output_tokens: output,
        reasoning_output_tokens: 2,
        total_tokens: input + output,
      },
      last_token_usage: null,
    },
    rate_limits: null,
  },
});

async function rollout(lines: unknown[]): Promise<string> {
  const path = join(dir, `rollout-2026-12-05T18-40-19-${ID}.jsonl`);
  await writeFile(path, `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
  return path;
}

describe("rolloutTokenTotals", () => {
  it("is the total of the last token_count event (as upstream records it)", async () => {
    const path = await rollout([meta, tokenCount(10, 3), tokenCount(25, 7)]);
    expect(await rolloutTokenTotals(path)).toEqual({
      inputTokens: 25,
      cachedInputTokens: 1,
      cacheWriteInputTokens: 0,
      outputTokens: 7,
      reasoningOutputTokens: 2,
    });
  });

  it("is undefined without a token_count, or for a missing file", async () => {
    expect(await rolloutTokenTotals(await rollout([meta]))).toBeUndefined();
    expect(await rolloutTokenTotals(join(dir, "none.jsonl"))).toBeUndefined();
  });
});
