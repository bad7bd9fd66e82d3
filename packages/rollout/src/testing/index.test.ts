import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listThreads, replayBundle } from "../index.js";
import { startedInferenceAttempt, writeRolloutFixture } from "./index.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "rollout-testing-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("@codex/rollout/testing", () => {
  it("startedInferenceAttempt leaves one running inference with its request payload", () => {
    const { attempt, writer } = startedInferenceAttempt(dir);
    expect(attempt.isEnabled()).toBe(true);
    writer.close();
    const trace = replayBundle(dir);
    const call = [...trace.inferenceCalls.values()][0];
    expect(call?.execution.status).toBe("running");
    expect(call?.requestItemIds).toHaveLength(1);
    expect(trace.rawPayloads.size).toBe(1);
  });

  it("writeRolloutFixture writes listable threads", async () => {
    const id = "0196b0c2-7d1e-7a3b-9c4d-5e6f70819203";
    writeRolloutFixture(dir, { threadId: id, timeMs: Date.UTC(2026, 4, 8), userMessage: "hi" });
    writeRolloutFixture(dir, {
      threadId: id.replace(/3$/, "4"),
      timeMs: Date.UTC(2026, 4, 9),
      userMessage: null,
    });
    const page = await listThreads({ codexHome: dir, pageSize: 10 });
    expect(page.items.map((i) => [i.threadId, i.firstUserMessage])).toEqual([[id, "hi"]]);
  });
});
