// `codex app-server`: one JSON-RPC connection over stdio through @codex/app-server.
import { afterEach, beforeEach, expect, it } from "vitest";
import { cliEnv, runCodex, type StartedCodex, startCodex, tempHome } from "./support/run-codex.js";

let home: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ home, cleanup } = await tempHome());
});
afterEach(async () => {
  await cleanup();
});

/** Sends JSON-RPC lines and collects the replies by id. */
function client(run: StartedCodex) {
  let buffer = "";
  const replies = new Map<unknown, (msg: Record<string, unknown>) => void>();
  run.child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
      const msg = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>;
      buffer = buffer.slice(nl + 1);
      replies.get(msg.id)?.(msg);
    }
  });
  return {
    request(id: number, method: string, params?: unknown): Promise<Record<string, unknown>> {
      const reply = new Promise<Record<string, unknown>>((resolve) => replies.set(id, resolve));
      run.child.stdin?.write(
        `${JSON.stringify({ id, method, ...(params === undefined ? {} : { params }) })}\n`,
      );
      return reply;
    },
    notify(method: string): void {
      run.child.stdin?.write(`${JSON.stringify({ method })}\n`);
    },
  };
}

it("answers initialize, serves the login codex login made, and ends when stdin closes", async () => {
  const env = cliEnv(home);
  expect(
    (await runCodex(["login", "--with-api-key"], { env, input: "sk-test-abcdefghijk12345\n" }))
      .code,
  ).toBe(0);
  const run = startCodex(["app-server"], { env, keepStdinOpen: true });
  const rpc = client(run);
  const init = await rpc.request(0, "initialize", {
    clientInfo: { name: "cli-test", version: "1.0.0" },
  });
  expect(init.result).toMatchObject({ codexHome: home });
  rpc.notify("initialized");
  const account = await rpc.request(1, "account/read", { refreshToken: false });
  expect(account.result).toMatchObject({ account: { type: "apiKey" } });
  run.child.stdin?.end();
  const r = await run.result;
  expect(r.code).toBe(0);
});

it("SIGTERM drains the connection and ends by that signal", async () => {
  const run = startCodex(["app-server"], { env: cliEnv(home), keepStdinOpen: true });
  const rpc = client(run);
  await rpc.request(0, "initialize", { clientInfo: { name: "cli-test", version: "1.0.0" } });
  run.child.kill("SIGTERM");
  const r = await run.result;
  expect(r.signal).toBe("SIGTERM");
  expect(r.stderr).toBe("");
});

it("refuses a transport it does not serve, in one line", async () => {
  const r = await runCodex(["app-server", "--listen", "ws://127.0.0.1:1"], { env: cliEnv(home) });
  expect(r.code).toBe(2);
  expect(r.stderr).toBe("--listen ws://127.0.0.1:1 is not supported: only stdio:// is.\n");
});

it("a bad config is one line and exit 1, before any JSON-RPC", async () => {
  const r = await runCodex(["app-server", "-c", "novalue"], { env: cliEnv(home) });
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(/^Error parsing -c overrides: .+\n$/);
});

it.each([
  ["CODEX_APP_SERVER_LOGIN_PORT", "70000", "must be an integer from 0 to 65535"],
  ["CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS", "0", "must be an integer >= 1"],
  ["CODEX_APP_SERVER_LOGIN_ISSUER", "auth.example", "must be an http(s) URL"],
])(
  "a malformed %s is one line naming it and exit 2, before any JSON-RPC",
  async (name, value, text) => {
    const r = await runCodex(["app-server"], { env: { ...cliEnv(home), [name]: value } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`${name} ${text}.\n`);
  },
);
