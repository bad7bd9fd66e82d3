import { PassThrough } from "node:stream";
import { type Logger, silentLogger } from "@codex/wire";
import { describe, expect, it } from "vitest";
import { createCodec } from "./message-codec.js";
import {
  createClientPeer,
  createServerPeer,
  type PeerTimers,
  ProtocolPeer,
  rpcErrorOf,
} from "./peer.js";
import { AppServerProtocolError } from "./protocol-error.js";

/** Manual timers: tests advance time explicitly, nothing sleeps. */
function manualTimers() {
  let now = 0;
  const tasks = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  const timers: PeerTimers = {
    setTimeout(fn, ms) {
      const handle = next++;
      tasks.set(handle, { at: now + ms, fn });
      return handle;
    },
    clearTimeout(handle) {
      tasks.delete(handle as number);
    },
  };
  return {
    timers,
    pending: () => tasks.size,
    advance(ms: number) {
      now += ms;
      for (const [handle, task] of [...tasks]) {
        if (task.at <= now) {
          tasks.delete(handle);
          task.fn();
        }
      }
    },
  };
}

/** A `@codex/wire` Logger that keeps its warnings (the only level the peer writes). */
function recordingLogger(): Logger & {
  entries: Array<{ message: string; fields: Record<string, unknown> | undefined }>;
} {
  const entries: Array<{ message: string; fields: Record<string, unknown> | undefined }> = [];
  return {
    ...silentLogger,
    entries,
    warn(message: string, fields?: Record<string, unknown>) {
      entries.push({ message, fields });
    },
  };
}

/** A client stream end and a raw server end the test drives line by line. */
function clientWithRawServer(options: { timers?: PeerTimers; maxMessageBytes?: number } = {}) {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const logger = recordingLogger();
  const received: string[] = [];
  const waiters: Array<(line: string) => void> = [];
  let buffer = "";
  toServer.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    let index = buffer.indexOf("\n");
    while (index !== -1) {
      const line = buffer.slice(0, index);
      buffer = buffer.slice(index + 1);
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else received.push(line);
      index = buffer.indexOf("\n");
    }
  });
  const notifications: unknown[] = [];
  const client = createClientPeer({
    input: toClient,
    output: toServer,
    logger,
    onNotification: (n) => notifications.push(n),
    ...options,
  });
  return {
    client,
    logger,
    notifications,
    toClient,
    send: (line: string) => toClient.write(`${line}\n`),
    nextLine: () =>
      new Promise<string>((resolve) => {
        const line = received.shift();
        if (line !== undefined) resolve(line);
        else waiters.push(resolve);
      }),
  };
}

/** The first `count` replies written to `output`, parsed and sorted by (integer) id. */
function sortedReplies(output: PassThrough, count: number): Promise<Array<{ id: number }>> {
  const lines: string[] = [];
  return new Promise((resolve) => {
    output.on("data", (chunk: Buffer) => {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      if (lines.length === count) {
        resolve(lines.map((line) => JSON.parse(line)).sort((x, y) => x.id - y.id));
      }
    });
  });
}

describe("ProtocolPeer over a PassThrough pair", () => {
  it("runs initialize + account/read between a client peer and a server peer", async () => {
    const a = new PassThrough();
    const b = new PassThrough();
    const seen: unknown[] = [];
    const server = createServerPeer({
      input: a,
      output: b,
      handlers: {
        initialize: (params) => ({
          userAgent: `${params.clientInfo.name}/0.1.0`,
          platformFamily: "unix",
          platformOs: "linux",
          codexHome: "/home/u/.codex",
        }),
        "account/read": async () => ({ account: { type: "apiKey" }, requiresOpenaiAuth: true }),
      },
      onNotification: (n) => seen.push(n),
    });
    const client = new ProtocolPeer({ role: "client", input: b, output: a });
    const init = await client.request("initialize", {
      clientInfo: { name: "acme", version: "1.0.0" },
      capabilities: { requestAttestation: true },
    });
    expect(init.userAgent).toBe("acme/0.1.0");
    client.notify("initialized");
    const account = await client.request("account/read", { refreshToken: false });
    expect(account).toEqual({ account: { type: "apiKey" }, requiresOpenaiAuth: true });
    expect(seen).toEqual([{ method: "initialized", params: undefined }]);
    expect(client.pendingRequests).toBe(0);
    client.close();
    await server.whenClosed;
    expect(server.closed).toBe(true);
  });

  it("lets the server call the client: attestation/generate and chatgptAuthTokens/refresh", async () => {
    const a = new PassThrough();
    const b = new PassThrough();
    const server = createServerPeer({ input: a, output: b });
    createClientPeer({
      input: b,
      output: a,
      handlers: {
        "attestation/generate": () => ({ token: "v1.b3BhcXVl" }),
        "account/chatgptAuthTokens/refresh": (params) => ({
          accessToken: "at",
          chatgptAccountId: params.previousAccountId ?? "none",
          chatgptPlanType: "pro",
        }),
      },
    });
    await expect(server.request("attestation/generate", {})).resolves.toEqual({
      token: "v1.b3BhcXVl",
    });
    await expect(
      server.request("account/chatgptAuthTokens/refresh", {
        reason: "unauthorized",
        previousAccountId: "ws-1",
      }),
    ).resolves.toEqual({ accessToken: "at", chatgptAccountId: "ws-1", chatgptPlanType: "pro" });
    server.close();
  });

  it("uses integer ids counting from 0 and never writes jsonrpc", async () => {
    const { client, nextLine, send } = clientWithRawServer();
    const first = client.request("account/rateLimits/read");
    const line = await nextLine();
    expect(line).toBe('{"id":0,"method":"account/rateLimits/read"}');
    send('{"id":0,"result":{"rateLimits":{"limitId":"codex"},"rateLimitsByLimitId":null}}');
    await expect(first).resolves.toMatchObject({ rateLimits: { limitId: "codex" } });
    void client.request("account/read", {});
    expect(await nextLine()).toBe('{"id":1,"method":"account/read","params":{}}');
  });

  it("rejects with rpc_error carrying the remote error, and ignores a second reply for the same id", async () => {
    const { client, nextLine, send, logger } = clientWithRawServer();
    const pending = client.request("account/read", {});
    await nextLine();
    send('{"id":0,"error":{"code":-32600,"message":"Not initialized"}}');
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppServerProtocolError);
    expect((error as AppServerProtocolError).code).toBe("rpc_error");
    expect(rpcErrorOf(error)).toEqual({ code: -32600, message: "Not initialized" });
    send('{"id":0,"result":{"account":null,"requiresOpenaiAuth":true}}');
    send('{"method":"account/updated","params":{"authMode":null}}');
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(logger.entries.map((e) => e.message)).toContain(
      "ignored reply for an unknown or finished request",
    );
  });

  it("rejects with invalid_result when the reply does not match the method's result schema", async () => {
    const { client, nextLine, send } = clientWithRawServer();
    const pending = client.request("account/read", {});
    await nextLine();
    send('{"id":0,"result":{"account":{"type":"bogus"}}}');
    await expect(pending).rejects.toMatchObject({ code: "invalid_result" });
  });

  it("times out a request (per-request timeout) and ignores the late reply", async () => {
    const clock = manualTimers();
    const { client, nextLine, send, logger } = clientWithRawServer({ timers: clock.timers });
    const pending = client.request("account/read", {}, { timeoutMs: 100 });
    await nextLine();
    expect(client.pendingRequests).toBe(1);
    clock.advance(99);
    expect(client.pendingRequests).toBe(1);
    clock.advance(1);
    await expect(pending).rejects.toMatchObject({ code: "request_timeout" });
    expect(client.pendingRequests).toBe(0);
    send('{"id":0,"result":{"account":null,"requiresOpenaiAuth":true}}');
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(logger.entries.some((e) => e.fields?.id === 0)).toBe(true);
  });

  it("clears the timer when the reply arrives first", async () => {
    const clock = manualTimers();
    const { client, nextLine, send } = clientWithRawServer({ timers: clock.timers });
    const pending = client.request("account/read", {}, { timeoutMs: 100 });
    await nextLine();
    expect(clock.pending()).toBe(1);
    send('{"id":0,"result":{"account":null,"requiresOpenaiAuth":false}}');
    await expect(pending).resolves.toEqual({ account: null, requiresOpenaiAuth: false });
    expect(clock.pending()).toBe(0);
  });

  it("honours an AbortSignal before and after sending", async () => {
    const { client, nextLine } = clientWithRawServer();
    const early = new AbortController();
    early.abort();
    await expect(
      client.request("account/read", {}, { signal: early.signal }),
    ).rejects.toMatchObject({
      code: "request_aborted",
    });
    const late = new AbortController();
    const pending = client.request("account/read", {}, { signal: late.signal });
    const line = await nextLine();
    expect(JSON.parse(line)).toMatchObject({ id: 0 });
    late.abort();
    await expect(pending).rejects.toMatchObject({ code: "request_aborted" });
    expect(client.pendingRequests).toBe(0);
  });

  it("rejects every pending request when the input stream ends", async () => {
    const { client, nextLine, toClient } = clientWithRawServer();
    const one = client.request("account/read", {});
    const two = client.request("account/logout");
    await nextLine();
    await nextLine();
    toClient.end();
    await expect(one).rejects.toMatchObject({ code: "disconnected" });
    await expect(two).rejects.toMatchObject({ code: "disconnected" });
    await expect(client.request("account/read", {})).rejects.toMatchObject({
      code: "disconnected",
    });
    expect(() => client.notify("initialized")).toThrowError(
      expect.objectContaining({ code: "disconnected" }),
    );
  });

  it("rejects pending requests when the input stream is destroyed with an error", async () => {
    const { client, nextLine, toClient } = clientWithRawServer();
    const pending = client.request("account/read", {});
    await nextLine();
    toClient.destroy(new Error("socket reset"));
    await expect(pending).rejects.toMatchObject({ code: "disconnected" });
  });

  it("aborts in-flight handlers when the connection closes", async () => {
    const a = new PassThrough();
    const b = new PassThrough();
    let handlerSignal: AbortSignal | undefined;
    const server = createServerPeer({
      input: a,
      output: b,
      handlers: {
        "account/read": (_params, { signal }) => {
          handlerSignal = signal;
          return new Promise(() => {});
        },
      },
    });
    a.write('{"id":1,"method":"account/read","params":{}}\n');
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(handlerSignal?.aborted).toBe(false);
    server.close();
    await server.whenClosed;
    expect(handlerSignal?.aborted).toBe(true);
  });

  it("after a clean end of input, answers the requests still running, then closes", async () => {
    const a = new PassThrough();
    const b = new PassThrough();
    let finish: () => void = () => {};
    const server = createServerPeer({
      input: a,
      output: b,
      handlers: {
        "account/read": () =>
          new Promise((resolve) => {
            finish = () => resolve({ account: null, requiresOpenaiAuth: true });
          }),
      },
    });
    const replies = sortedReplies(b, 1);
    a.end('{"id":1,"method":"account/read","params":{}}\n');
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(server.closed).toBe(false);
    await expect(server.request("attestation/generate", {})).rejects.toMatchObject({
      code: "disconnected",
    });
    finish();
    expect(await replies).toEqual([{ id: 1, result: { account: null, requiresOpenaiAuth: true } }]);
    await server.whenClosed;
    expect(server.closed).toBe(true);
  });

  it("refuses invalid params locally without sending anything", async () => {
    const { client } = clientWithRawServer();
    const bad = { threadId: 1, input: [] } as unknown as { threadId: string; input: [] };
    await expect(client.request("turn/start", bad)).rejects.toMatchObject({
      code: "invalid_params",
    });
    expect(client.pendingRequests).toBe(0);
  });

  it("passes through an rpc error thrown from another installed copy of this package", async () => {
    const a = new PassThrough();
    const b = new PassThrough();
    // What a second copy's AppServerProtocolError.rpc() builds: same brand, another class.
    const foreign = Object.assign(new Error("JSON-RPC error -32001: busy"), {
      [Symbol.for("codex.app-server-protocol.error")]: true,
      code: "rpc_error",
      rpcError: { code: -32001, message: "busy" },
    });
    createServerPeer({
      input: a,
      output: b,
      handlers: {
        "account/read": () => {
          throw foreign;
        },
      },
    });
    const replies = sortedReplies(b, 1);
    a.write('{"id":1,"method":"account/read","params":{}}\n');
    expect(await replies).toEqual([{ id: 1, error: { code: -32001, message: "busy" } }]);
  });

  it("answers handler errors: rpc errors pass through, other throws become -32603, unhandled methods -32601", async () => {
    const a = new PassThrough();
    const b = new PassThrough();
    const logger = recordingLogger();
    createServerPeer({
      input: a,
      output: b,
      logger,
      handlers: {
        "account/read": () => {
          throw AppServerProtocolError.rpc(-32600, "Not initialized");
        },
        "account/logout": () => {
          throw new Error("disk full: secret-path");
        },
        "turn/interrupt": () => null as unknown as Record<string, never>,
      },
    });
    const allReplies = sortedReplies(b, 5);
    a.write('{"id":1,"method":"account/read","params":{}}\n');
    a.write('{"id":2,"method":"account/logout"}\n');
    a.write('{"id":3,"method":"thread/start","params":{}}\n');
    a.write('{"id":4,"method":"bogus/method","params":{}}\n');
    a.write('{"id":5,"method":"turn/interrupt","params":{"threadId":"t","turnId":"u"}}\n');
    const replies = await allReplies;
    expect(replies).toEqual([
      { id: 1, error: { code: -32600, message: "Not initialized" } },
      { id: 2, error: { code: -32603, message: "Internal error" } },
      { id: 3, error: { code: -32601, message: "Method not handled: thread/start" } },
      {
        id: 4,
        error: {
          code: -32600,
          message: expect.stringMatching(/^Invalid request: unknown variant `bogus\/method`/),
        },
      },
      { id: 5, error: { code: -32603, message: "Internal error" } },
    ]);
    expect(JSON.stringify(logger.entries)).not.toContain("secret-path");
  });

  it("answers -32603 instead of crashing when a handler or the gate supplies an unsendable error object", async () => {
    const a = new PassThrough();
    const b = new PassThrough();
    const logger = recordingLogger();
    createServerPeer({
      input: a,
      output: b,
      logger,
      requestGate: ({ method }) =>
        method === "thread/start" ? { code: 2.5, message: "not an integer code" } : undefined,
      handlers: {
        "account/read": () => {
          throw AppServerProtocolError.rpc(1.5, "not an integer code");
        },
        "account/logout": () => {
          throw AppServerProtocolError.rpc(-32000, "data is not JSON", 10n);
        },
      },
    });
    const allReplies = sortedReplies(b, 3);
    a.write('{"id":1,"method":"account/read","params":{}}\n');
    a.write('{"id":2,"method":"account/logout"}\n');
    a.write('{"id":3,"method":"thread/start","params":{}}\n');
    const replies = await allReplies;
    const internal = { code: -32603, message: "Internal error" };
    expect(replies).toEqual([
      { id: 1, error: internal },
      { id: 2, error: internal },
      { id: 3, error: internal },
    ]);
    expect(logger.entries.map((e) => e.message)).toEqual([
      "could not send an error reply as given",
      "could not send an error reply as given",
      "could not send an error reply as given",
    ]);
  });

  it("drops and logs invalid lines, an oversize line and listener exceptions, and keeps working", async () => {
    const { client, nextLine, send, logger, toClient, notifications } = clientWithRawServer({
      maxMessageBytes: 256,
    });
    send("this is not json");
    send('{"method":"thread/archived","params":{}}');
    toClient.write(`{"method":"account/updated","params":{"pad":"${"x".repeat(1000)}`);
    toClient.write(`${"y".repeat(5000)}"}}\n`);
    send('{"method":"account/updated","params":{"authMode":"chatgpt","planType":"plus"}}');
    send("");
    const pending = client.request("account/read", {});
    await nextLine();
    send('{"id":0,"result":{"account":null,"requiresOpenaiAuth":true}}');
    await expect(pending).resolves.toEqual({ account: null, requiresOpenaiAuth: true });
    expect(notifications).toEqual([
      { method: "account/updated", params: { authMode: "chatgpt", planType: "plus" } },
    ]);
    const reasons = logger.entries.map((e) => e.fields?.reason);
    expect(reasons).toEqual(["invalid_json", "unknown_method", "message_too_large"]);
  });

  it("survives a logger that throws while it drops bad lines", async () => {
    const a = new PassThrough();
    const b = new PassThrough();
    createServerPeer({
      input: a,
      output: b,
      logger: {
        ...silentLogger,
        warn() {
          throw new Error("logger bug");
        },
      },
      handlers: { "account/read": () => ({ account: null, requiresOpenaiAuth: true }) },
    });
    const reply = new Promise<string>((resolve) =>
      b.once("data", (chunk: Buffer) => resolve(chunk.toString())),
    );
    a.write("not json\n");
    a.write('{"method":"unknown/notification"}\n');
    a.write('{"id":1,"method":"account/read","params":{}}\n');
    expect(JSON.parse(await reply)).toEqual({
      id: 1,
      result: { account: null, requiresOpenaiAuth: true },
    });
  });

  it("survives a throwing notification listener", async () => {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const logger = recordingLogger();
    createClientPeer({
      input: toClient,
      output: toServer,
      logger,
      onNotification: () => {
        throw new Error("listener bug");
      },
    });
    toClient.write(
      '{"method":"account/login/completed","params":{"loginId":null,"success":true,"error":null}}\n',
    );
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(logger.entries[0]?.message).toBe("notification listener threw");
  });

  it("uses the same wire format as the codec", () => {
    const codec = createCodec("client");
    expect(codec.encodeRequest(0, "account/read", {})).toBe(
      '{"id":0,"method":"account/read","params":{}}',
    );
  });

  it("refuses unusable limits and timeouts with invalid_options", async () => {
    const streams = () => ({ input: new PassThrough(), output: new PassThrough() });
    for (const maxMessageBytes of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createClientPeer({ ...streams(), maxMessageBytes })).toThrowError(
        expect.objectContaining({ code: "invalid_options" }),
      );
    }
    for (const requestTimeoutMs of [-1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 40]) {
      expect(() => createClientPeer({ ...streams(), requestTimeoutMs })).toThrowError(
        expect.objectContaining({ code: "invalid_options" }),
      );
    }
    const { client, nextLine } = clientWithRawServer();
    await expect(client.request("account/read", {}, { timeoutMs: -5 })).rejects.toMatchObject({
      code: "invalid_options",
    });
    expect(client.pendingRequests).toBe(0);
    void client.request("account/read", {});
    expect(JSON.parse(await nextLine())).toMatchObject({ id: 0 });
  });

  it("refuses an id from nextRequestId that is still pending instead of orphaning the first request", async () => {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const client = createClientPeer({ input: toClient, output: toServer, nextRequestId: () => 7 });
    const first = client.request("account/read", {});
    await expect(client.request("account/read", {})).rejects.toMatchObject({
      code: "invalid_options",
    });
    expect(client.pendingRequests).toBe(1);
    toClient.write('{"id":7,"result":{"account":null,"requiresOpenaiAuth":true}}\n');
    await expect(first).resolves.toEqual({ account: null, requiresOpenaiAuth: true });
    client.close();
  });

  it("takes ids from nextRequestId (e.g. a process-wide counter) and lets a gate refuse requests", async () => {
    let shared = 100;
    const nextRequestId = () => shared++;
    const a = new PassThrough();
    const b = new PassThrough();
    let initialized = false;
    const server = createServerPeer({
      input: a,
      output: b,
      nextRequestId,
      requestGate: ({ method }) =>
        method === "initialize" || initialized
          ? undefined
          : { code: -32600, message: "Not initialized" },
      handlers: {
        initialize: () => {
          initialized = true;
          return { userAgent: "x/1", platformFamily: "unix", platformOs: "linux" };
        },
        "account/read": () => ({ account: null, requiresOpenaiAuth: false }),
      },
    });
    const client = createClientPeer({
      input: b,
      output: a,
      handlers: { "attestation/generate": () => ({ token: "t" }) },
    });
    const early = await client
      .request("account/read", {})
      .catch((error: unknown) => rpcErrorOf(error));
    expect(early).toEqual({ code: -32600, message: "Not initialized" });
    await client.request("initialize", { clientInfo: { name: "x", version: "1" } });
    await expect(client.request("account/read", {})).resolves.toEqual({
      account: null,
      requiresOpenaiAuth: false,
    });
    await server.request("attestation/generate", {});
    expect(shared).toBe(101);
    client.close();
  });
});
