import { appendFile } from "node:fs/promises";
import { startFakeBackend } from "@codex/fake-backend";
import { type RolloutItem, RolloutRecorder } from "@codex/rollout";
import { Secret } from "@codex/wire";
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import { AppServerClient } from "../src/app-server-client.js";
import {
  createTempCodexHome,
  killLiveCodexRuns,
  type TempCodexHome,
} from "../src/codex-harness.js";
import { CONFORMANCE_API_KEY, disposeTurn, type ExecTurn, runExecTurn } from "../src/exec-turn.js";
import { ourFileStore } from "../src/our-login.js";

const codex = inject("codexBinary");
const SECRET_WORD = "PINEAPPLE-7731";
const OUR_ANSWER = "Noted, I will remember it.";

let current: ExecTurn | undefined;
afterEach(async () => {
  await disposeTurn(current);
  current = undefined;
});
afterAll(() => killLiveCodexRuns());

/**
 * A legacy (no `ordinal`) thread written by our recorder: one user turn and our answer, each as
 * a response item and as the event a legacy recorder persists beside it.
 */
async function recordOurThread(
  home: TempCodexHome,
  source: "exec" | "cli" = "exec",
): Promise<RolloutRecorder> {
  const recorder = RolloutRecorder.create({
    codexHome: home.home,
    cwd: home.workdir,
    cliVersion: "0.1.0",
    source,
    modelProvider: "fake",
    baseInstructions: null,
    gitInfo: null,
  });
  const items: RolloutItem[] = [
    {
      type: "response_item",
      payload: {
        type: "message",
        role: "user",
        content: [{ type: "input_text", text: `remember ${SECRET_WORD}` }],
      },
    },
    {
      type: "event_msg",
      payload: {
        type: "user_message",
        message: `remember ${SECRET_WORD}`,
        images: null,
        local_images: [],
        text_elements: [],
      },
    },
    {
      type: "response_item",
      payload: {
        type: "message",
        role: "assistant",
        content: [{ type: "output_text", text: OUR_ANSWER }],
        phase: "final_answer",
      },
    },
    {
      type: "event_msg",
      payload: { type: "agent_message", message: OUR_ANSWER, phase: "final_answer" },
    },
  ];
  await recorder.recordItems(items);
  await recorder.shutdown();
  return recorder;
}

function inputTexts(body: unknown): string[] {
  const input = (body as { input?: unknown }).input;
  if (!Array.isArray(input)) return [];
  return input.flatMap((item: unknown) => {
    const content = (item as { content?: unknown }).content;
    if (!Array.isArray(content)) return [];
    return content.flatMap((part: unknown) => {
      const text = (part as { text?: unknown }).text;
      return typeof text === "string" ? [`${(item as { role?: string }).role}:${text}`] : [];
    });
  });
}

describe("the real codex resumes a session our RolloutRecorder wrote (legacy history)", () => {
  it("`codex exec resume <id>` sends our user turn and answer as history, then the new prompt", async () => {
    const home = await createTempCodexHome();
    const backend = await startFakeBackend();
    let threadId: string;
    try {
      await (await ourFileStore(home)).save({
        authMode: "apikey",
        openaiApiKey: new Secret(CONFORMANCE_API_KEY),
      });
      const recorder = await recordOurThread(home);
      if (recorder.threadId === undefined) throw new Error("the recorder named no thread");
      threadId = recorder.threadId;

      current = await runExecTurn(codex, {
        mode: "api-key-http",
        reuse: { home, backend },
        execArgs: ["resume", "--skip-git-repo-check", threadId, "what was the word?"],
      });
    } catch (error) {
      await backend.close();
      await home.cleanup();
      throw error;
    }

    const { run, requests, sessions, sessionId } = current;
    expect(run.code, run.stderr).toBe(0);
    expect(sessionId).toBe(threadId);
    expect(run.stdout).toContain("what was the word?");
    const calls = requests.filter((r) => r.endpoint === "openai.responses");
    expect(calls).toHaveLength(1);
    const texts = inputTexts(calls[0]?.body);
    const ours = texts.indexOf(`user:remember ${SECRET_WORD}`);
    const answer = texts.indexOf(`assistant:${OUR_ANSWER}`);
    const next = texts.indexOf("user:what was the word?");
    expect(ours, texts.join("\n")).toBeGreaterThanOrEqual(0);
    expect(answer).toBeGreaterThan(ours);
    expect(next).toBeGreaterThan(answer);
    // Resuming appends to our file instead of starting another one.
    expect(sessions).toHaveLength(1);
  });
});

describe("the real app-server lists and reads a session our RolloutRecorder wrote", () => {
  it("thread/list shows it with its preview; thread/read returns our turn", async () => {
    const home = await createTempCodexHome();
    let client: AppServerClient | undefined;
    try {
      const recorder = await recordOurThread(home, "cli");
      client = await AppServerClient.start(codex, home);
      const list = (await client.request("thread/list", { modelProviders: [] })) as {
        data: { id: string; preview: string; path: string | null; source: unknown }[];
      };
      const read = (await client.request("thread/read", {
        threadId: recorder.threadId,
        includeTurns: true,
      })) as {
        thread: {
          id: string;
          historyMode: string;
          turns: { status: string; items: { type: string; text?: string }[] }[];
        };
      };
      const listed = list.data.find((t) => t.id === recorder.threadId);
      expect(listed, JSON.stringify(list)).toBeDefined();
      expect(listed?.preview).toBe(`remember ${SECRET_WORD}`);
      expect(listed?.path).toBe(recorder.path);
      expect(read.thread.id).toBe(recorder.threadId);
      expect(read.thread.historyMode).toBe("legacy");
      expect(read.thread.turns).toHaveLength(1);
      expect(read.thread.turns[0]?.status).toBe("completed");
      const items = read.thread.turns[0]?.items ?? [];
      expect(items.map((item) => item.type)).toEqual(["userMessage", "agentMessage"]);
      expect(items[1]?.text).toBe(OUR_ANSWER);
    } finally {
      await client?.close();
      await home.cleanup();
    }
  });
});

describe("the real codex survives a torn last line in a file our recorder wrote", () => {
  it("thread/list and thread/read still show the thread; codex exec resume still runs", async () => {
    const home = await createTempCodexHome();
    const backend = await startFakeBackend();
    let client: AppServerClient | undefined;
    try {
      await (await ourFileStore(home)).save({
        authMode: "apikey",
        openaiApiKey: new Secret(CONFORMANCE_API_KEY),
      });
      const recorder = await recordOurThread(home, "cli");
      if (recorder.threadId === undefined) throw new Error("the recorder named no thread");
      // A crash in the middle of a line: no closing brace, no newline.
      await appendFile(recorder.path, '{"timestamp":"2026-01-01T00:00:00.000Z","type":"event_ms');

      client = await AppServerClient.start(codex, home);
      const list = (await client.request("thread/list", { modelProviders: [] })) as {
        data: { id: string; preview: string }[];
      };
      expect(list.data.find((t) => t.id === recorder.threadId)?.preview).toBe(
        `remember ${SECRET_WORD}`,
      );
      const read = (await client.request("thread/read", {
        threadId: recorder.threadId,
        includeTurns: true,
      })) as { thread: { turns: { items: { type: string }[] }[] } };
      expect(read.thread.turns[0]?.items.map((item) => item.type)).toEqual([
        "userMessage",
        "agentMessage",
      ]);
      await client.close();
      client = undefined;

      const resumed = await runExecTurn(codex, {
        mode: "api-key-http",
        reuse: { home, backend },
        execArgs: ["resume", "--skip-git-repo-check", recorder.threadId, "still there?"],
      });
      expect(resumed.run.code, resumed.run.stderr).toBe(0);
      expect(resumed.run.stdout).toContain("still there?");
    } finally {
      await client?.close();
      await backend.close();
      await home.cleanup();
    }
  });
});
