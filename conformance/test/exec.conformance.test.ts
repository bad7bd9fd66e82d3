import { appendFile, copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { loadRolloutItems } from "@codex/rollout";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { errorLines, killLiveCodexRuns } from "../src/codex-harness.js";
import { UPSTREAM_CODEX_VERSION } from "../src/ensure-codex.js";
import {
  CONFORMANCE_API_KEY,
  disposeTurn,
  type ExecTurn,
  runExecTurn,
  type TurnMode,
} from "../src/exec-turn.js";
import {
  httpRequestShape,
  sortedNames,
  type UpstreamRequestFixture,
  webSocketShape,
} from "../src/request-shape.js";

const codex = inject("codexBinary");
const FIXTURE = new URL("../fixtures/upstream-0.169-responses-request.json", import.meta.url);
const UPDATE_FIXTURES = process.env.CONFORMANCE_UPDATE_FIXTURES === "1";
const PROMPT = "say hi to the conformance suite";

const turns = new Map<TurnMode, ExecTurn>();
function turn(mode: TurnMode): ExecTurn {
  const found = turns.get(mode);
  if (found === undefined) throw new Error(`no ${mode} turn ran`);
  return found;
}

beforeAll(async () => {
  // One real turn per mode, shared by the tests below (each takes a few seconds).
  for (const mode of ["api-key-http", "api-key-websocket", "chatgpt-http"] as const) {
    turns.set(mode, await runExecTurn(codex, { mode, prompt: PROMPT }));
  }
});

afterAll(async () => {
  killLiveCodexRuns();
  for (const done of turns.values()) await disposeTurn(done);
});

describe("codex exec drives a turn through @codex/fake-backend", () => {
  it("API key over HTTP: one POST /v1/responses with our key, the echoed answer printed", () => {
    const { run, requests } = turn("api-key-http");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(PROMPT);
    const calls = requests.filter((r) => r.endpoint === "openai.responses");
    expect(calls).toHaveLength(1);
    expect(calls[0]?.transport).toBe("http");
    expect(calls[0]?.status).toBe(200);
    expect(calls[0]?.headers.authorization).toBe(`Bearer ${CONFORMANCE_API_KEY}`);
    expect(calls[0]?.headers["chatgpt-account-id"]).toBeUndefined();
    expect(calls[0]?.headers.originator).toBe("codex_exec");
    expect(run.stderr).not.toContain(CONFORMANCE_API_KEY);
  });

  it("API key, HTTP and WebSocket: the real client logs no ERROR line", () => {
    for (const mode of ["api-key-http", "api-key-websocket"] as const) {
      const { run } = turn(mode);
      expect(errorLines(run.stderr), mode).toEqual([]);
    }
  });

  it("API key over WebSocket: one upgrade, a prewarm (generate:false), then the turn", () => {
    const { run, requests } = turn("api-key-websocket");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(PROMPT);
    const upgrades = requests.filter((r) => r.endpoint === "openai.responses");
    expect(upgrades).toHaveLength(1);
    expect(upgrades[0]?.transport).toBe("websocket");
    expect(upgrades[0]?.status).toBe(101);
    expect(upgrades[0]?.headers.authorization).toBe(`Bearer ${CONFORMANCE_API_KEY}`);
    const messages = webSocketShape(upgrades[0]!).messages;
    expect(messages.map((m) => [m.type, m.generate])).toEqual([
      ["response.create", false],
      ["response.create", undefined],
    ]);
  });

  it("ChatGPT tokens over HTTP: our access token and account id reach /backend-api/codex/responses", () => {
    const { run, requests, backend } = turn("chatgpt-http");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(PROMPT);
    const calls = requests.filter((r) => r.endpoint === "codex.responses");
    expect(calls).toHaveLength(1);
    expect(calls[0]?.status).toBe(200);
    expect(calls[0]?.bearer?.valid).toBe(true);
    expect(calls[0]?.chatgptAccountId).toBe(backend.account.chatgptAccountId);
  });

  it("the header names and body keys match fixtures/upstream-0.169-responses-request.json", async () => {
    const http = turn("api-key-http").requests.find((r) => r.endpoint === "openai.responses");
    const ws = turn("api-key-websocket").requests.find((r) => r.endpoint === "openai.responses");
    const chatgpt = turn("chatgpt-http").requests.find((r) => r.endpoint === "codex.responses");
    const live: UpstreamRequestFixture = {
      upstreamVersion: UPSTREAM_CODEX_VERSION,
      note: "Names only (no values) of what the real codex exec sends to @codex/fake-backend; made by conformance/test/exec.conformance.test.ts with CONFORMANCE_UPDATE_FIXTURES=1. Header names in arrival order, as Node saw them.",
      apiKeyHttp: httpRequestShape(http!),
      apiKeyWebSocket: webSocketShape(ws!),
      chatgptHttp: httpRequestShape(chatgpt!),
    };
    if (UPDATE_FIXTURES) {
      await writeFile(FIXTURE, `${JSON.stringify(live, null, 2)}\n`);
    }
    const fixture = JSON.parse(await readFile(FIXTURE, "utf8")) as UpstreamRequestFixture;
    expect(fixture.upstreamVersion).toBe(UPSTREAM_CODEX_VERSION);
    for (const key of ["apiKeyHttp", "chatgptHttp"] as const) {
      expect(sortedNames(live[key].headerNames), key).toEqual(
        sortedNames(fixture[key].headerNames),
      );
      expect(live[key].bodyKeys, key).toEqual(fixture[key].bodyKeys);
      expect(live[key].turnMetadataKeys, key).toEqual(fixture[key].turnMetadataKeys);
      expect(live[key].clientMetadataKeys, key).toEqual(fixture[key].clientMetadataKeys);
      expect([live[key].method, live[key].path]).toEqual([fixture[key].method, fixture[key].path]);
    }
    expect(sortedNames(live.apiKeyWebSocket.upgradeHeaderNames)).toEqual(
      sortedNames(fixture.apiKeyWebSocket.upgradeHeaderNames),
    );
    expect(live.apiKeyWebSocket.messages).toEqual(fixture.apiKeyWebSocket.messages);
    expect(live.apiKeyWebSocket.turnMetadataKeys).toEqual(fixture.apiKeyWebSocket.turnMetadataKeys);
  });
});

describe("@codex/rollout reads the session files the real codex writes", () => {
  for (const mode of ["api-key-http", "api-key-websocket", "chatgpt-http"] as const) {
    it(`${mode}: one rollout file, named for the session; our reader finds its thread and meta`, async () => {
      const { sessions, sessionId } = turn(mode);
      expect(sessionId).toBeDefined();
      expect(sessions).toHaveLength(1);
      const path = sessions[0]!;
      expect(basename(path)).toMatch(new RegExp(`^rollout-.*-${sessionId}\\.jsonl$`));
      const lines = (await readFile(path, "utf8")).split("\n").filter((l) => l.trim() !== "");
      const loaded = await loadRolloutItems(path);
      expect(loaded.threadId).toBe(sessionId);
      expect(loaded.sessionMeta?.id).toBe(sessionId);
      expect(loaded.tornTail).toBe(false);
      // Every line is either an item or a counted parse error, never lost silently.
      expect(loaded.items.length + loaded.parseErrors).toBe(lines.length);
      process.stderr.write(
        `[conformance] ${mode}: ${lines.length} lines -> ${loaded.items.length} items, ${loaded.parseErrors} parse errors (bad lines ${loaded.badLines.join(",")})\n`,
      );
    });
  }
});

describe("@codex/rollout survives a torn last line in a real 0.169 file", () => {
  it("the torn tail is reported, every whole line reads as before", async () => {
    const source = turn("api-key-http").sessions[0]!;
    const dir = await mkdtemp(join(tmpdir(), "codex-conformance-torn-"));
    try {
      const copy = join(dir, basename(source));
      await copyFile(source, copy);
      const whole = await loadRolloutItems(copy);
      await appendFile(copy, '{"timestamp":"2026-01-01T00:00:00.000Z","ordinal":99,"type":"event_');
      const torn = await loadRolloutItems(copy);
      expect(whole.tornTail).toBe(false);
      expect(torn.tornTail).toBe(true);
      expect(torn.threadId).toBe(whole.threadId);
      expect(torn.items).toEqual(whole.items);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
