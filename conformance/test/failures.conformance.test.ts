import { scripts } from "@codex/fake-backend";
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import { killLiveCodexRuns } from "../src/codex-harness.js";
import { disposeTurn, type ExecTurn, runExecTurn } from "../src/exec-turn.js";

const codex = inject("codexBinary");
let current: ExecTurn | undefined;
afterEach(async () => {
  await disposeTurn(current);
  current = undefined;
});
afterAll(() => killLiveCodexRuns());

describe("the real codex recovers from the fake backend's scripted failures", () => {
  it("a 5xx answer is retried (request_max_retries = 1) and the next script answers", async () => {
    current = await runExecTurn(codex, {
      mode: "api-key-http",
      retries: { request: 1 },
      scripts: [scripts.serverError(503), scripts.text("answer after a 503")],
    });
    const { run, requests } = current;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("answer after a 503");
    const calls = requests.filter((r) => r.endpoint === "openai.responses");
    expect(calls.map((r) => r.status)).toEqual([503, 200]);
    expect(current.backend.pendingScripts()).toBe(0);
  });

  it("a stream cut mid-message is reconnected (stream_max_retries = 1) and completes", async () => {
    current = await runExecTurn(codex, {
      mode: "api-key-http",
      retries: { stream: 1 },
      scripts: [scripts.disconnect("partial answ"), scripts.text("answer after a cut stream")],
    });
    const { run, requests } = current;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("answer after a cut stream");
    const calls = requests.filter((r) => r.endpoint === "openai.responses");
    expect(calls).toHaveLength(2);
    expect(current.backend.pendingScripts()).toBe(0);
  });
});
