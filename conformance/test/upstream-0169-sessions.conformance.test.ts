// Issue 12 as the real codex 0.169 sees it: our rollout package on the session files it writes
// (0 parse errors, listed with its preview, appended to and still resumable), and the fake
// backend's wire (prewarm, well-formed cut streams, no ERROR line in ChatGPT mode).
import { scripts } from "@codex/fake-backend";
import { listThreads, loadRolloutItems, RolloutRecorder, readThreadItem } from "@codex/rollout";
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import { errorLines, killLiveCodexRuns } from "../src/codex-harness.js";
import { disposeTurn, type ExecTurn, runExecTurn } from "../src/exec-turn.js";

const codex = inject("codexBinary");
const turns: ExecTurn[] = [];
afterEach(async () => {
  for (const turn of turns.splice(0)) await disposeTurn(turn);
});
afterAll(() => killLiveCodexRuns());

async function turn(options: Parameters<typeof runExecTurn>[1]): Promise<ExecTurn> {
  const done = await runExecTurn(codex, options);
  turns.push(done);
  return done;
}

describe("@codex/rollout on what the real codex 0.169 writes", () => {
  it("reads a real 0.169 session file with 0 parse errors", async () => {
    const { sessions } = await turn({ mode: "api-key-http" });
    const loaded = await loadRolloutItems(sessions[0]!);
    expect(loaded.badLines).toEqual([]);
    expect(loaded.parseErrors).toBe(0);
  });

  it("listThreads and readThreadItem find a 0.169 session with its preview", async () => {
    const { home, sessions, sessionId } = await turn({ mode: "api-key-http", prompt: "say hi" });
    const page = await listThreads({ codexHome: home.home, pageSize: 10 });
    expect(page.items.map((item) => [item.threadId, item.firstUserMessage])).toEqual([
      [sessionId, "say hi"],
    ]);
    const item = await readThreadItem(sessions[0]!);
    expect(item?.threadId).toBe(sessionId);
    expect(item?.firstUserMessage).toBe("say hi");
  });

  it("the real codex resumes a 0.169 session after our RolloutRecorder appended to it", async () => {
    const first = await turn({ mode: "api-key-http", prompt: "say hi" });
    const recorder = await RolloutRecorder.resume({ path: first.sessions[0]! });
    await recorder.recordItems([
      {
        type: "event_msg",
        payload: { type: "agent_message", message: "appended by our recorder", phase: null },
      },
    ]);
    await recorder.shutdown();

    const resumed = await runExecTurn(codex, {
      mode: "api-key-http",
      reuse: { home: first.home, backend: first.backend },
      execArgs: ["resume", "--skip-git-repo-check", first.sessionId!, "and again"],
    });

    expect(resumed.run.code, resumed.run.stderr).toBe(0);
    expect(resumed.run.stdout).toContain("and again");
  });
});

describe("@codex/fake-backend as the real client sees it", () => {
  it("WebSocket: the prewarm (generate:false) does not consume the turn's script", async () => {
    const { run, backend } = await turn({
      mode: "api-key-websocket",
      scripts: [scripts.text("the scripted WebSocket answer")],
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("the scripted WebSocket answer");
    expect(backend.pendingScripts()).toBe(0);
  });

  it("a cut stream is well-formed (item added before its deltas): no 'without active item'", async () => {
    const { run } = await turn({
      mode: "api-key-http",
      retries: { stream: 1 },
      scripts: [scripts.disconnect("partial answ"), scripts.text("answer after a cut stream")],
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain("without active item");
  });

  it("a ChatGPT-mode exec turn logs no ERROR line", async () => {
    const { run } = await turn({ mode: "chatgpt-http" });
    expect(run.code, run.stderr).toBe(0);
    expect(errorLines(run.stderr)).toEqual([]);
  });
});
