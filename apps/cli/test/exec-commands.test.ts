// End to end: the built `codex exec` (node dist/bin.js) in a temporary CODEX_HOME against
// @codex/fake-backend on 127.0.0.1: prompt from the argument and from stdin, human output and
// --json events, --output-last-message, resume, and bad input (config, flags, backend).
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import {
  type FakeBackend,
  type RequestRecord,
  scripts,
  startFakeBackend,
} from "@codex/fake-backend";
import { writeApiKeyAuth } from "@codex/login/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cliEnv, runCodex, startCodex, tempHome } from "./support/run-codex.js";

const API_KEY = "sk-exec-test-key-0123456789";

let backend: FakeBackend;
let home: string;
let work: string;
let cleanup: () => Promise<void>;

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** config.toml: the `fake` provider at `baseUrl`, key from auth, no retries. */
async function writeConfig(baseUrl: string, extra = ""): Promise<void> {
  const toml = [
    'model = "gpt-5.4"',
    'model_provider = "fake"',
    `chatgpt_base_url = ${JSON.stringify(backend.chatgptBaseUrl)}`,
    extra,
    "[model_providers.fake]",
    'name = "fake"',
    `base_url = ${JSON.stringify(baseUrl)}`,
    'wire_api = "responses"',
    "requires_openai_auth = true",
    "supports_websockets = false",
    "request_max_retries = 0",
    "stream_max_retries = 0",
    "",
  ].join("\n");
  await writeFile(join(home, "config.toml"), toml);
}

const env = (extra: Record<string, string> = {}) =>
  cliEnv(home, { CODEX_API_KEY: API_KEY, ...extra });

/** `codex exec --skip-git-repo-check -C <work> …args` with `input` on stdin. */
function exec(args: readonly string[], input = "", extraEnv: Record<string, string> = {}) {
  return runCodex(["exec", "--skip-git-repo-check", "-C", work, ...args], {
    env: env(extraEnv),
    input,
  });
}

function responsesCalls(): RequestRecord[] {
  return backend.state.requests.filter((r) => r.endpoint === "openai.responses");
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The text parts of the user messages a Responses call sent. */
function userTexts(call: RequestRecord | undefined): string[] {
  const body = call?.body as { input?: { role?: string; content?: { text?: string }[] }[] };
  return (body.input ?? [])
    .filter((item) => item.role === "user")
    .flatMap((item) => (item.content ?? []).map((part) => part.text ?? ""));
}

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
  await writeConfig(backend.openaiBaseUrl);
  backend.state.requests.length = 0;
});
afterEach(async () => {
  await cleanup();
});

describe("codex exec: prompt and human output", () => {
  it("answers a prompt given as argument: answer on stdout, summary and progress on stderr", async () => {
    const r = await exec(["say hi"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("say hi\n");
    const lines = r.stderr.split("\n");
    expect(lines.slice(0, 5)).toEqual([
      "Reading additional input from stdin...",
      "OpenAI Codex v0.169.0",
      "--------",
      `workdir: ${work}`,
      "model: gpt-5.4",
    ]);
    expect(r.stderr).toContain("provider: fake\napproval: never\nsandbox: read-only\n");
    expect(r.stderr).toMatch(
      /\nsession id: [0-9a-f-]{36}\n--------\nuser\nsay hi\ncodex\nsay hi\n/,
    );
    expect(r.stderr).toMatch(/\ntokens used\n[\d,]+\n$/);
    expect(r.stderr).not.toContain(API_KEY);
    const calls = responsesCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(calls[0]?.headers.originator).toBe("codex_exec");
    expect(calls[0]?.headers["user-agent"]).toMatch(/^codex_exec\/0\.169\.0 \(/);
  });

  it("reads the prompt from stdin when there is no argument, or with -", async () => {
    const r = await exec([], "from stdin");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("from stdin\n");
    expect(r.stderr.split("\n")[0]).toBe("Reading prompt from stdin...");
    const dash = await exec(["-"], "from dash");
    expect(dash.code, dash.stderr).toBe(0);
    expect(dash.stdout).toBe("from dash\n");
    expect(dash.stderr).not.toContain("Reading");
    expect(userTexts(responsesCalls()[1])).toEqual(["from dash"]);
  });

  it("appends piped stdin to an argument prompt as a <stdin> block", async () => {
    const r = await exec(["the prompt"], "extra data\nline2");
    expect(r.code, r.stderr).toBe(0);
    expect(userTexts(responsesCalls()[0])).toEqual([
      "the prompt\n\n<stdin>\nextra data\nline2\n</stdin>",
    ]);
  });

  it("refuses an empty stdin with upstream's line (exit 1), sending nothing", async () => {
    const r = await exec([], "  \n");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("Reading prompt from stdin...\nNo prompt provided via stdin.\n");
    expect(responsesCalls()).toHaveLength(0);
  });

  it("runs only inside a Git repository unless --skip-git-repo-check", async () => {
    const outside = await runCodex(["exec", "-C", work, "hi"], { env: env(), input: "" });
    expect(outside.code).toBe(1);
    expect(outside.stderr).toBe(
      "Reading additional input from stdin...\nNot inside a trusted directory and --skip-git-repo-check was not specified.\n",
    );
    await mkdir(join(work, ".git"));
    const inside = await runCodex(["exec", "-C", work, "hi"], { env: env(), input: "" });
    expect(inside.code, inside.stderr).toBe(0);
    expect(inside.stdout).toBe("hi\n");
  });

  it("uses the API key of auth.json when CODEX_API_KEY is not set", async () => {
    await writeApiKeyAuth(home, "sk-from-auth-json-000111");
    const r = await runCodex(["exec", "--skip-git-repo-check", "-C", work, "hi"], {
      env: cliEnv(home),
      input: "",
    });
    expect(r.code, r.stderr).toBe(0);
    expect(responsesCalls()[0]?.headers.authorization).toBe("Bearer sk-from-auth-json-000111");
  });

  it("--model names the model of the request", async () => {
    const r = await exec(["--model", "gpt-test-model", "hi"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("\nmodel: gpt-test-model\n");
    expect((responsesCalls()[0]?.body as { model?: string } | undefined)?.model).toBe(
      "gpt-test-model",
    );
  });

  it("--image attaches the file as an input_image data URL", async () => {
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
    await writeFile(join(work, "pixel.png"), png);
    const r = await exec(["--image", "pixel.png", "what is this"]);
    expect(r.code, r.stderr).toBe(0);
    const body = responsesCalls()[0]?.body as {
      input: { role?: string; content?: { type: string; image_url?: string }[] }[];
    };
    const parts = body.input.filter((i) => i.role === "user").flatMap((i) => i.content ?? []);
    expect(parts.map((p) => p.type)).toEqual(["input_text", "input_image"]);
    expect(parts[1]?.image_url).toBe(`data:image/png;base64,${png.toString("base64")}`);
  });

  it("a failed turn prints its error once and exits 1", async () => {
    backend.enqueue(scripts.failed("server_error", "the model broke"));
    const r = await exec(["hi"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const errors = r.stderr.split("\n").filter((l) => l.startsWith("ERROR:"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("the model broke");
  });
});

describe("codex exec --json", () => {
  it("prints upstream's JSONL events: thread.started, turn.started, item.completed, turn.completed", async () => {
    backend.enqueue(
      scripts.text("hello there", {
        usage: {
          inputTokens: 120,
          cachedInputTokens: 20,
          outputTokens: 7,
          reasoningOutputTokens: 3,
        },
      }),
    );
    const r = await exec(["--json", "hi"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("Reading additional input from stdin...\n");
    const events = jsonLines(r.stdout);
    expect(events).toEqual([
      { type: "thread.started", thread_id: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      { type: "turn.started" },
      {
        type: "item.completed",
        item: { id: "item_0", type: "agent_message", text: "hello there" },
      },
      {
        type: "turn.completed",
        usage: {
          input_tokens: 120,
          cached_input_tokens: 20,
          cache_write_input_tokens: 0,
          output_tokens: 7,
          reasoning_output_tokens: 3,
        },
      },
    ]);
    // Keys in upstream's order, byte for byte.
    expect(r.stdout.split("\n")[2]).toBe(
      '{"type":"item.completed","item":{"id":"item_0","type":"agent_message","text":"hello there"}}',
    );
  });

  it("--experimental-json is the same; a failed turn is error then turn.failed, exit 1", async () => {
    backend.enqueue(scripts.failed("server_error", "the model broke"));
    const r = await exec(["--experimental-json", "hi"]);
    expect(r.code).toBe(1);
    const events = jsonLines(r.stdout);
    expect(events.map((e) => e.type)).toEqual([
      "thread.started",
      "turn.started",
      "error",
      "turn.failed",
    ]);
    const failed = events[3] as { error: { message: string } };
    expect(failed.error.message).toContain("the model broke");
    expect(events[2]).toEqual({ type: "error", message: failed.error.message });
  });
});

describe("codex exec --output-last-message", () => {
  it("writes the last agent message (no newline added), atomically", async () => {
    const out = join(home, "last.txt");
    const r = await exec(["-o", out, "say hi"]);
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(out, "utf8")).toBe("say hi");
    expect((await readdir(home)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("writes an empty file when the turn failed, as upstream", async () => {
    const out = join(home, "last.txt");
    await writeFile(out, "stale");
    backend.enqueue(scripts.failed("server_error", "nope"));
    const r = await exec(["--json", "--output-last-message", out, "hi"]);
    expect(r.code).toBe(1);
    expect(await readFile(out, "utf8")).toBe("");
  });
});

describe("codex exec resume", () => {
  it("continues a thread by id: same thread, history sent again", async () => {
    const first = await exec(["--json", "first question"]);
    expect(first.code, first.stderr).toBe(0);
    const threadId = jsonLines(first.stdout)[0]?.thread_id as string;
    const second = await exec(["--json", "resume", threadId, "second question"]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toBe("");
    const events = jsonLines(second.stdout);
    expect(events[0]).toEqual({ type: "thread.started", thread_id: threadId });
    expect(events[2]).toMatchObject({ item: { type: "agent_message", text: "second question" } });
    expect(userTexts(responsesCalls()[1])).toEqual(["first question", "second question"]);
  });

  it("--last picks the newest thread of this directory; resume reads the prompt from stdin", async () => {
    const first = await exec(["--json", "one"]);
    const threadId = jsonLines(first.stdout)[0]?.thread_id as string;
    const r = await exec(["--json", "resume", "--last"], "two");
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines(r.stdout)[0]).toEqual({ type: "thread.started", thread_id: threadId });
    expect(userTexts(responsesCalls()[1])).toEqual(["one", "two"]);
  });

  it("flags before `resume` apply to it (the SDK's order), --image after it", async () => {
    const first = await exec(["--json", "one"]);
    const threadId = jsonLines(first.stdout)[0]?.thread_id as string;
    const r = await runCodex(
      ["exec", "--experimental-json", "--skip-git-repo-check", "--cd", work, "resume", threadId],
      { env: env(), input: "two" },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines(r.stdout).map((e) => e.type)).toEqual([
      "thread.started",
      "turn.started",
      "item.completed",
      "turn.completed",
    ]);
  });

  it("an unknown thread id is one line, exit 1", async () => {
    const id = "01a24781-d07b-7b52-8fe0-3f8d00d83abb";
    const r = await exec(["resume", id, "x"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `Error: thread/resume: thread/resume failed: no rollout found for thread id ${id} (code -32600)\n`,
    );
  });
});

describe("codex exec: Ctrl-C", () => {
  it("interrupts the turn, records it in the rollout and ends by SIGINT", async () => {
    backend.enqueue(scripts.stall("partial "));
    const run = startCodex(["exec", "--skip-git-repo-check", "-C", work, "wait for me"], {
      env: env(),
    });
    await run.waitForStderr(/\nuser\nwait for me\n/);
    // The request is out (the stall holds it open) before the signal.
    while (responsesCalls().length === 0) await new Promise((r) => setTimeout(r, 20));
    run.child.kill("SIGINT");
    const r = await run.result;
    backend.releaseStalls();
    expect(r.signal).toBe("SIGINT");
    expect(r.stdout).toBe("");
    const sessions = join(home, "sessions");
    const files = (await readdir(sessions, { recursive: true })).filter((f) =>
      f.endsWith(".jsonl"),
    );
    expect(files).toHaveLength(1);
    const lines = (await readFile(join(sessions, files[0] as string), "utf8")).trim().split("\n");
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({
      type: "event_msg",
      payload: { type: "turn_aborted" },
    });
  });
});

describe("codex exec: bad input", () => {
  it("a -c override without = is upstream's one line, before reading stdin", async () => {
    const r = await exec(["-c", "foo", "hi"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error parsing -c overrides: .*missing '='.*\n$/);
    expect(responsesCalls()).toHaveLength(0);
  });

  it("a -c value of the wrong type is a one-line config error", async () => {
    const r = await exec(["-c", "model=5", "hi"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^Error loading configuration: .*model/);
    expect(responsesCalls()).toHaveLength(0);
  });

  it("an unreachable backend fails the turn with one clear line, no stack, no key", async () => {
    await writeConfig(`http://127.0.0.1:${await closedPort()}/v1`);
    const r = await exec(["hi"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const errors = r.stderr.split("\n").filter((l) => l.startsWith("ERROR:"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/127\.0\.0\.1/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain(API_KEY);
  });

  it("flags for tool execution it cannot honour are refused in one line", async () => {
    for (const args of [
      ["--ephemeral", "hi"],
      ["--worktree", "hi"],
    ]) {
      const r = await exec(args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr).toMatch(/^Error: --[a-z-]+ is not supported by this codex exec \(.+\)\.\n$/);
    }
    const fork = await exec(["fork", "x"]);
    expect(fork.code).toBe(1);
    expect(fork.stderr).toMatch(/^Error: codex exec fork is not supported/);
    expect(responsesCalls()).toHaveLength(0);
  });

  it("--output-schema sends the file's schema as the strict text.format of the request", async () => {
    const schema = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] };
    await writeFile(join(work, "schema.json"), JSON.stringify(schema));
    const r = await exec(["--output-schema", "schema.json", "hi"]);
    expect(r.code, r.stderr).toBe(0);
    const body = responsesCalls().at(-1)?.body as { text?: { format?: Record<string, unknown> } };
    expect(body.text?.format).toMatchObject({ type: "json_schema", strict: true, schema });
  });

  it("--output-schema with a file that is not a JSON object is one line, before any request", async () => {
    await writeFile(join(work, "schema.json"), "[1]");
    const r = await exec(["--output-schema", "schema.json", "hi"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /\nError: output schema file .*schema\.json must hold a JSON object\.\n$/,
    );
    expect(responsesCalls()).toHaveLength(0);
  });

  it("--profile applies that [profiles.<name>] over the root keys; an unknown one is refused", async () => {
    await writeConfig(backend.openaiBaseUrl, '[profiles.work]\nmodel = "gpt-profile"\n');
    const r = await exec(["--profile", "work", "hi"]);
    expect(r.code, r.stderr).toBe(0);
    const body = responsesCalls().at(-1)?.body as { model?: string } | undefined;
    expect(body?.model).toBe("gpt-profile");
    const unknown = await exec(["--profile", "nope", "hi"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('config profile "nope" not found');
    expect(responsesCalls()).toHaveLength(1);
  });

  it("accepts --sandbox, --add-dir and the approval bypass as no-ops (no tool ever runs)", async () => {
    const r = await exec([
      "--sandbox",
      "workspace-write",
      "--add-dir",
      home,
      "--dangerously-bypass-approvals-and-sandbox",
      "hi",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("\nsandbox: workspace-write\n");
  });

  it("--cd to a missing folder is one line", async () => {
    const r = await runCodex(["exec", "--skip-git-repo-check", "-C", join(home, "nope"), "hi"], {
      env: env(),
      input: "",
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toBe(`Error: --cd ${join(home, "nope")}: no such directory\n`);
  });
});
