// The official TypeScript SDK (@openai/codex-sdk) drives the real codex 0.169.0 and our `codex`
// (apps/cli, built) the same way against the same fake backend: `exec --experimental-json` with
// the prompt on stdin, `--config openai_base_url=…`, CODEX_API_KEY, then `resume <id>`. Both must
// give the SDK the same answers, the same event sequence and the same thread continuity.
// Upstream's one warning item ("Model metadata for `…` not found", an `error` item it adds for
// models outside its catalog) is left out of the comparison.
import { existsSync } from "node:fs";
import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type FakeBackend, scripts, startFakeBackend } from "@codex/fake-backend";
import { Codex, type ThreadEvent } from "@openai/codex-sdk";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  codexEnv,
  createTempCodexHome,
  killLiveCodexRuns,
  runCodex,
  type TempCodexHome,
  writeFakeProviderConfig,
} from "../src/codex-harness.js";

const upstream = inject("codexBinary");
const OUR_BIN = fileURLToPath(new URL("../../apps/cli/dist/bin.js", import.meta.url));
const API_KEY = "sk-conformance-sdk-key";

let backend: FakeBackend;
const homes: TempCodexHome[] = [];

beforeAll(async () => {
  if (!existsSync(OUR_BIN))
    throw new Error(`${OUR_BIN} is missing: pnpm --filter @codex/cli build`);
  backend = await startFakeBackend();
});
afterAll(async () => {
  killLiveCodexRuns();
  await backend.close();
  for (const home of homes) await home.cleanup();
});

/** What the SDK saw in the scenario, comparable across binaries. */
interface Scenario {
  readonly firstAnswer: string;
  readonly secondAnswer: string;
  readonly sameThread: boolean;
  readonly streamedTypes: string[];
  readonly streamedItem: unknown;
  readonly usageKeys: string[];
  /** The second turn's request carried the first question (the thread was resumed). */
  readonly secondRequestHasHistory: boolean;
}

function withoutUpstreamWarning(events: ThreadEvent[]): ThreadEvent[] {
  return events.filter((e) => !(e.type === "item.completed" && e.item.type === "error"));
}

/** An executable running our built bin (the SDK and the harness spawn a file). */
async function ourWrapper(home: TempCodexHome): Promise<string> {
  const path = join(home.home, "codex");
  await writeFile(path, `#!/bin/sh\nexec '${process.execPath}' '${OUR_BIN}' "$@"\n`);
  await chmod(path, 0o755);
  return path;
}

async function scenario(binary: "upstream" | "ours"): Promise<Scenario> {
  const home = await createTempCodexHome();
  homes.push(home);
  const codexPath = binary === "ours" ? await ourWrapper(home) : upstream;
  const codex = new Codex({
    codexPathOverride: codexPath,
    baseUrl: backend.openaiBaseUrl,
    apiKey: API_KEY,
    env: codexEnv(home),
  });
  const options = { workingDirectory: home.workdir, skipGitRepoCheck: true, model: "gpt-5.4" };
  const before = backend.state.requests.length;

  backend.enqueue(scripts.text("first answer"), scripts.text("second answer"));
  const thread = codex.startThread(options);
  const first = await thread.run("first question");
  const id = thread.id;
  const second = await thread.run("second question");
  const turns = backend.state.requests
    .slice(before)
    .filter((r) => r.endpoint === "openai.responses");
  const last = turns.at(-1);
  const turnBody = (
    last?.transport === "websocket"
      ? last.websocketMessages
          .filter((m) => (m as { generate?: boolean }).generate !== false)
          .at(-1)
      : last?.body
  ) as { input?: unknown[] } | undefined;

  backend.enqueue(scripts.text("streamed answer"));
  const streamed = codex.startThread(options);
  const { events } = await streamed.runStreamed("stream please");
  const seen: ThreadEvent[] = [];
  for await (const event of events) seen.push(event);
  const kept = withoutUpstreamWarning(seen);
  const completed = kept.find((e) => e.type === "turn.completed");

  return {
    firstAnswer: first.finalResponse,
    secondAnswer: second.finalResponse,
    sameThread: id !== null && thread.id === id,
    streamedTypes: kept.map((e) => e.type),
    // Item ids count upstream's warning item too (`item_1` there, `item_0` here): left out.
    streamedItem: kept
      .filter((e) => e.type === "item.completed")
      .map((e) => (e.type === "item.completed" ? { ...e.item, id: "<id>" } : e)),
    usageKeys: completed?.type === "turn.completed" ? Object.keys(completed.usage).sort() : [],
    secondRequestHasHistory: JSON.stringify(turnBody?.input ?? []).includes("first question"),
  };
}

describe("@openai/codex-sdk: our codex behaves as codex 0.169.0", () => {
  it("run() answers, a second run() resumes the thread, runStreamed() yields the same events", async () => {
    const theirs = await scenario("upstream");
    const ours = await scenario("ours");
    process.stderr.write(`[conformance] sdk upstream: ${JSON.stringify(theirs)}\n`);
    expect(theirs.firstAnswer).toBe("first answer");
    expect(theirs.sameThread).toBe(true);
    expect(ours).toEqual(theirs);
  });
});

const PATH_ALIAS_WARNING =
  /^WARNING: proceeding, even though we could not create PATH aliases: .*\n/gm;

describe("codex exec refusals: the same line, stream and exit code as codex 0.169.0", () => {
  const cases: { name: string; args: string[]; stdin: string }[] = [
    { name: "empty stdin", args: ["exec", "--skip-git-repo-check"], stdin: "" },
    { name: "blank stdin with -", args: ["exec", "--skip-git-repo-check", "-"], stdin: " \n" },
    { name: "outside a Git repository", args: ["exec", "hi"], stdin: "" },
    {
      name: "unknown thread id",
      args: [
        "exec",
        "--skip-git-repo-check",
        "resume",
        "01a24781-d07b-7b52-8fe0-3f8d00d83abb",
        "x",
      ],
      stdin: "",
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const results = [];
      for (const binary of ["upstream", "ours"] as const) {
        const home = await createTempCodexHome();
        homes.push(home);
        const path = binary === "ours" ? await ourWrapper(home) : upstream;
        const run = await runCodex(path, c.args, {
          home,
          stdin: c.stdin,
          env: { CODEX_API_KEY: API_KEY },
          timeoutMs: 60_000,
        });
        results.push({
          code: run.code,
          stdout: run.stdout,
          stderr: run.stderr.replace(PATH_ALIAS_WARNING, "").replaceAll(home.home, "<home>"),
        });
      }
      expect(results[0]?.code).not.toBe(0);
      expect(results[1]).toEqual(results[0]);
    });
  }
});

describe("codex exec resume across implementations, one thread", () => {
  it("ours continues a thread the real codex started, and the real codex continues ours", async () => {
    const home = await createTempCodexHome();
    homes.push(home);
    const ours = await ourWrapper(home);
    await writeFakeProviderConfig(home, {
      baseUrl: backend.openaiBaseUrl,
      chatgptBaseUrl: backend.chatgptBaseUrl,
    });
    const env = { CODEX_API_KEY: API_KEY };
    const events = (stdout: string) =>
      stdout
        .split("\n")
        .filter((l) => l !== "")
        .map(
          (l) =>
            JSON.parse(l) as { type: string; thread_id?: string; usage?: { input_tokens: number } },
        )
        .filter(
          (e) => e.type !== "item.completed" || !JSON.stringify(e).includes('"type":"error"'),
        );
    const lastTurnInput = () => {
      const call = backend.state.requests.filter((r) => r.endpoint === "openai.responses").at(-1);
      return JSON.stringify((call?.body as { input?: unknown } | undefined)?.input ?? []);
    };
    const args = ["exec", "--json", "--skip-git-repo-check"];

    const first = await runCodex(upstream, [...args, "first from upstream"], { home, env });
    expect(first.code, first.stderr).toBe(0);
    const started = events(first.stdout);
    const threadId = started[0]?.thread_id as string;
    const firstUsage = started.at(-1)?.usage?.input_tokens ?? 0;

    const second = await runCodex(ours, [...args, "resume", threadId, "second from ours"], {
      home,
      env,
    });
    expect(second.code, second.stderr).toBe(0);
    const resumed = events(second.stdout);
    expect(resumed.map((e) => e.type)).toEqual([
      "thread.started",
      "turn.started",
      "item.completed",
      "turn.completed",
    ]);
    expect(resumed[0]?.thread_id).toBe(threadId);
    expect(lastTurnInput()).toContain("first from upstream");
    // The usage goes on from the total upstream recorded, as upstream's own resume does.
    expect(resumed.at(-1)?.usage?.input_tokens ?? 0).toBeGreaterThan(firstUsage);

    const third = await runCodex(upstream, [...args, "resume", threadId, "third from upstream"], {
      home,
      env,
    });
    expect(third.code, third.stderr).toBe(0);
    expect(events(third.stdout)[0]?.thread_id).toBe(threadId);
    expect(lastTurnInput()).toContain("second from ours");
  });
});
