// A client no one here wrote: the official TypeScript SDK (@openai/codex-sdk) drives our built
// `codex` (codexPathOverride) against @codex/fake-backend. It spawns
// `codex exec --experimental-json --config openai_base_url="…" [--cd …] [--skip-git-repo-check]
// [resume <id>]` with the prompt on stdin and CODEX_API_KEY in the environment.
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type FakeBackend, scripts, startFakeBackend } from "@codex/fake-backend";
import { Codex, type ThreadEvent } from "@openai/codex-sdk";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CODEX_BIN, cliEnv, tempHome } from "./support/run-codex.js";

const API_KEY = "sk-sdk-test-key-0123456789";

let backend: FakeBackend;
let home: string;
let work: string;
let codexPath: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  backend = await startFakeBackend();
});
afterAll(async () => {
  await backend.close();
});
beforeEach(async () => {
  ({ home, cleanup } = await tempHome());
  work = join(home, "work");
  await mkdir(work);
  // The SDK spawns an executable: a shell wrapper running the built bin with this node.
  codexPath = join(home, "codex");
  await writeFile(codexPath, `#!/bin/sh\nexec '${process.execPath}' '${CODEX_BIN}' "$@"\n`);
  await chmod(codexPath, 0o755);
  backend.state.requests.length = 0;
});
afterEach(async () => {
  await cleanup();
});

function sdk(): Codex {
  return new Codex({
    codexPathOverride: codexPath,
    baseUrl: backend.openaiBaseUrl,
    apiKey: API_KEY,
    env: cliEnv(home),
  });
}

const threadOptions = () => ({ workingDirectory: work, skipGitRepoCheck: true });

describe("@openai/codex-sdk against our codex", () => {
  it("thread.run() returns the backend's answer; a second run() resumes the same thread", async () => {
    backend.enqueue(scripts.text("first answer"), scripts.text("second answer"));
    const thread = sdk().startThread(threadOptions());
    const first = await thread.run("first question");
    expect(first.finalResponse).toBe("first answer");
    expect(first.items).toEqual([{ id: "item_0", type: "agent_message", text: "first answer" }]);
    expect(first.usage).toMatchObject({ input_tokens: expect.any(Number) });
    const id = thread.id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const second = await thread.run("second question");
    expect(second.finalResponse).toBe("second answer");
    expect(thread.id).toBe(id);

    const calls = backend.state.requests.filter((r) => r.endpoint === "openai.responses");
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => c.headers.authorization === `Bearer ${API_KEY}`)).toBe(true);
    expect(calls[1]?.headers.originator).toBe("codex_sdk_ts");
    // The built-in openai provider talks WebSocket: the turn is the last `response.create`.
    const turn = calls[1]?.websocketMessages.at(-1) as { input: { role?: string }[] };
    expect(turn.input.filter((i) => i.role === "user")).toHaveLength(2);
  });

  it("runStreamed() yields the turn's events", async () => {
    backend.enqueue(scripts.text("streamed answer"));
    const thread = sdk().startThread(threadOptions());
    const { events } = await thread.runStreamed("stream please");
    const seen: ThreadEvent[] = [];
    for await (const event of events) seen.push(event);
    expect(seen.map((e) => e.type)).toEqual([
      "thread.started",
      "turn.started",
      "item.completed",
      "turn.completed",
    ]);
    expect(seen[2]).toEqual({
      type: "item.completed",
      item: { id: "item_0", type: "agent_message", text: "streamed answer" },
    });
  });

  it("resumeThread(id) continues a thread recorded by an earlier run", async () => {
    const codex = sdk();
    const first = codex.startThread(threadOptions());
    await first.run("remember me");
    const again = codex.resumeThread(first.id as string, threadOptions());
    const result = await again.run("and now?");
    expect(result.finalResponse).toBe("and now?");
    expect(again.id).toBe(first.id);
  });

  it("a failed turn rejects run() with the turn's error message", async () => {
    // Not retried (a server_error would be, and then fall back to HTTP, as 0.169 does).
    backend.enqueue(scripts.failed("invalid_prompt", "the prompt was refused"));
    const thread = sdk().startThread(threadOptions());
    await expect(thread.run("hi")).rejects.toThrow(/the prompt was refused/);
  });
});
