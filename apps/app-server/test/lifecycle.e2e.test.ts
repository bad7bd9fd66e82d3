/**
 * The built `codex-app-server` over stdio: 0.169's envelope, lifecycle and error texts
 * (app-server-0169.md §1-3). Every message the server writes validates against schema-0.169.
 */
import { type FakeBackend, startFakeBackend } from "@codex/fake-backend";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppServerProcess, type Message } from "./support/app-server-process.js";

let backend: FakeBackend;
const servers: AppServerProcess[] = [];

beforeAll(async () => {
  backend = await startFakeBackend();
});
afterAll(async () => {
  await backend.close();
});
afterEach(async () => {
  for (const server of servers.splice(0)) {
    expect(server.violations).toEqual([]);
    await server.dispose();
  }
});

function start(options: Partial<ConstructorParameters<typeof AppServerProcess>[0]> = {}) {
  const server = new AppServerProcess({ backend, ...options });
  servers.push(server);
  return server;
}

const errorOf = (reply: Message) => reply.error as { code: number; message: string };

describe("envelope and lifecycle (0.169 §1-2)", () => {
  it("answers garbage with nothing, then Not initialized, initialize, Already initialized; ids echo their JSON type", async () => {
    const server = start();
    server.writeLine("{not json");
    server.writeLine("[1,2]");
    server.writeLine('{"id":1}');
    server.writeLine('{"method":"no/such/notification"}');
    const before = await server.request("account/read", {}, "str-id-4");
    expect(before).toEqual({
      error: { code: -32600, message: "Not initialized" },
      id: "str-id-4",
    });
    expect(Object.keys(before)).toEqual(["error", "id"]);
    // the garbage lines got no reply: the first line written is the Not initialized error
    expect(server.messages[0]).toEqual(before);

    const init = await server.initialize();
    expect(Object.keys(init.result as object)).toEqual([
      "userAgent",
      "codexHome",
      "platformFamily",
      "platformOs",
    ]);
    const result = init.result as Record<string, string>;
    expect(result.codexHome).toBe(server.home);
    expect(result.platformFamily).toBe("unix");
    expect(result.userAgent).toMatch(
      /^acme_desktop\/\d+\.\d+\.\d+ \([^;()]+ [^;()]+; [^;()]+\) xterm \(acme_desktop; 1\.2\.3\)$/,
    );

    const again = await server.request("initialize", {
      clientInfo: { name: "acme_desktop", version: "1.2.3" },
    });
    expect(errorOf(again)).toEqual({ code: -32600, message: "Already initialized" });
    const read = await server.request("account/read", {}, 7);
    expect(read).toEqual({
      id: 7,
      result: { account: null, userId: null, requiresOpenaiAuth: true, workspaceRouting: null },
    });
    expect(await server.end()).toBe(0);
  });

  it("replies with 0.169's serde texts, and to an undecodable request with a usable id", async () => {
    const server = start();
    const missingName = await server.request("initialize", { clientInfo: { version: "1" } });
    expect(errorOf(missingName)).toEqual({
      code: -32600,
      message: "Invalid request: missing field `name`",
    });
    const badName = await server.request("initialize", {
      clientInfo: { name: "bad\rname", version: "1" },
    });
    expect(errorOf(badName)).toEqual({
      code: -32600,
      message: "Invalid clientInfo.name: 'bad\rname'. Must be a valid HTTP header value.",
    });
    const nullCapability = await server.request("initialize", {
      clientInfo: { name: "acme", version: "1" },
      capabilities: { requestAttestation: null },
    });
    expect(errorOf(nullCapability)).toEqual({
      code: -32600,
      message: "Invalid request: invalid type: null, expected a boolean",
    });
    const unknown = await server.request("no/such/method", {});
    expect(errorOf(unknown).code).toBe(-32600);
    expect(errorOf(unknown).message).toMatch(
      /^Invalid request: unknown variant `no\/such\/method`, expected one of `initialize`, /,
    );
    expect(errorOf(unknown).message).toContain("`getAuthStatus`");
    // still uninitialized after the refusals: a valid initialize succeeds
    await server.initialize(null);
    const cases: Array<[string, unknown, string]> = [
      ["account/login/start", { type: "apiKey" }, "Invalid request: missing field `apiKey`"],
      [
        "account/login/start",
        { type: "bogus" },
        "Invalid request: unknown variant `bogus`, expected one of `apiKey`, `chatgpt`, `chatgptDeviceCode`, `chatgptAuthTokens`, `amazonBedrock`, `amazonBedrockAccessKeys`",
      ],
      ["account/login/start", undefined, "Invalid request: missing field `params`"],
      ["account/read", undefined, "Invalid request: missing field `params`"],
      [
        "account/read",
        { refreshToken: "yes" },
        'Invalid request: invalid type: string "yes", expected a boolean',
      ],
      ["account/login/cancel", {}, "Invalid request: missing field `loginId`"],
      ["account/login/cancel", { loginId: "not-a-uuid" }, "invalid login id: not-a-uuid"],
      [
        "account/login/start",
        { type: "chatgptAuthTokens", accessToken: "a" },
        "Invalid request: missing field `chatgptAccountId`",
      ],
    ];
    for (const [method, params, message] of cases) {
      const reply = await server.request(method, params);
      expect(errorOf(reply), `${method} ${JSON.stringify(params)}`).toEqual({
        code: -32600,
        message,
      });
    }
    for (const params of [undefined, null, {}]) {
      const logout = await server.request("account/logout", params);
      expect(logout.result).toEqual({});
    }
    // beyond upstream: a usable id on something that is not a request gets an answer
    server.writeLine('{"id":"odd","method":5}');
    const odd = await server.waitFor((m) => m.id === "odd");
    expect(errorOf(odd)).toEqual({
      code: -32600,
      message: "Invalid request: invalid type: integer `5`, expected a string",
    });
    expect(await server.end()).toBe(0);
  });

  it("a pipelined client gets every reply in order of need, even after closing its input", async () => {
    const server = start();
    server.send({
      id: 1,
      method: "initialize",
      params: { clientInfo: { name: "pipe", version: "1" } },
    });
    server.send({ method: "initialized" });
    server.send({ id: 2, method: "account/read", params: {} });
    server.send({ id: 3, method: "getAuthStatus", params: { includeToken: true } });
    expect(await server.end()).toBe(0);
    expect(server.messages.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(server.messages[2]).toEqual({
      id: 3,
      result: { authMethod: null, authToken: null, requiresOpenaiAuth: true },
    });
  });

  it("a configuration error is one line on stderr and a non-zero exit", async () => {
    const server = start({ args: ["-c", "model_provider=nope"] });
    expect(await server.exited).not.toBe(0);
    expect(server.stderr.trim().split("\n")).toHaveLength(1);
    expect(server.stderr).toMatch(/^codex-app-server: /);
  });

  it("a malformed environment knob is one line naming it and exit 2", async () => {
    const server = start({ env: { CODEX_APP_SERVER_LOGIN_PORT: "any" } });
    expect(await server.exited).toBe(2);
    expect(server.stderr).toBe(
      "codex-app-server: CODEX_APP_SERVER_LOGIN_PORT must be an integer from 0 to 65535\n",
    );
    expect(server.messages).toEqual([]);
  });

  it("SIGTERM drains and exits 0", async () => {
    const server = start();
    await server.initialize();
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });
});
