/**
 * Streamed Responses per second on loopback: the fake backend's `/backend-api/codex/responses`
 * (auth check, echo model, SSE) beside a bare node:http server writing the same SSE bytes,
 * both driven by the same keep-alive client in the same run.
 */
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket, { WebSocketServer } from "ws";
import { startFakeBackend } from "../src/index.js";

const TOTAL = Number(process.env.BENCH_REQUESTS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const TARGET = 2_000;

const BODY = JSON.stringify({
  model: "gpt-bench",
  input: [
    {
      type: "message",
      role: "user",
      content: [{ type: "input_text", text: "benchmark the fake backend" }],
    },
  ],
  stream: true,
});

interface Target {
  readonly port: number;
  readonly path: string;
  readonly headers: Record<string, string>;
}

function once(agent: Agent, target: Target): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: "127.0.0.1",
        port: target.port,
        path: target.path,
        method: "POST",
        headers: {
          ...target.headers,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(BODY),
        },
      },
      (res) => {
        let bytes = 0;
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on("end", () =>
          res.statusCode === 200 ? resolve(bytes) : reject(new Error(`status ${res.statusCode}`)),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(BODY);
  });
}

async function run(target: Target, total: number): Promise<{ perSecond: number; bytes: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let issued = 0;
  let bytes = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (issued < total) {
      issued++;
      bytes = await once(agent, target);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return { perSecond: total / seconds, bytes };
}

/** Sends `response.create` on CONCURRENCY sockets, one at a time each, until `total` complete. */
async function runWebSocket(
  url: string,
  headers: Record<string, string>,
  total: number,
): Promise<number> {
  const sockets = await Promise.all(
    Array.from(
      { length: CONCURRENCY },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(url, { headers, perMessageDeflate: false });
          ws.once("open", () => resolve(ws));
          ws.once("error", reject);
        }),
    ),
  );
  const message = JSON.stringify({ type: "response.create", ...JSON.parse(BODY) });
  let issued = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve, reject) => {
          const next = () => {
            if (issued >= total) {
              resolve();
              return;
            }
            issued++;
            ws.send(message);
          };
          ws.on("message", (data: Buffer) => {
            // Cheap terminal check without parsing every frame.
            if (data.includes('"response.completed"')) next();
          });
          ws.once("error", reject);
          next();
        }),
    ),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (const ws of sockets) ws.terminate();
  return total / seconds;
}

async function main(): Promise<void> {
  const backend = await startFakeBackend();
  const token = backend.issueTokens().accessToken;
  const fake: Target = {
    port: backend.port,
    path: "/backend-api/codex/responses",
    headers: {
      authorization: `Bearer ${token}`,
      "chatgpt-account-id": backend.account.chatgptAccountId,
    },
  };

  // Capture the exact bytes and headers one fake response carries, for the baseline server.
  const sample = await fetch(`${backend.chatgptBaseUrl}/codex/responses`, {
    method: "POST",
    headers: { ...fake.headers, "content-type": "application/json" },
    body: BODY,
  });
  const sseBytes = Buffer.from(await sample.arrayBuffer());
  const sampleHeaders: Record<string, string> = {};
  sample.headers.forEach((value, name) => {
    if (!["date", "connection", "keep-alive", "transfer-encoding", "content-length"].includes(name))
      sampleHeaders[name] = value;
  });
  const baselineServer = createServer({ keepAlive: true }, (req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, sampleHeaders);
      res.end(sseBytes);
    });
  });
  await new Promise<void>((resolve) => baselineServer.listen(0, "127.0.0.1", resolve));
  const baseline: Target = {
    port: (baselineServer.address() as AddressInfo).port,
    path: "/",
    headers: {},
  };

  await run(baseline, 2_000);
  await run(fake, 2_000);
  backend.state.clear();

  const base = await run(baseline, TOTAL);
  const measured = await run(fake, TOTAL);
  backend.state.clear();
  const ratio = measured.perSecond / base.perSecond;

  // WebSocket: the same frames the fake sends, replayed by a bare ws server as the baseline.
  const wsHeaders = { authorization: `Bearer ${token}` };
  const fakeWsUrl = `${backend.url.replace("http", "ws")}/backend-api/codex/responses`;
  const frames = await new Promise<Buffer[]>((resolve, reject) => {
    const ws = new WebSocket(fakeWsUrl, { headers: wsHeaders, perMessageDeflate: false });
    const received: Buffer[] = [];
    ws.on("message", (data: Buffer) => {
      received.push(data);
      if (data.includes('"response.completed"')) {
        ws.terminate();
        resolve(received);
      }
    });
    ws.once("open", () =>
      ws.send(JSON.stringify({ type: "response.create", ...JSON.parse(BODY) })),
    );
    ws.once("error", reject);
  });
  const bareWs = new WebSocketServer({ port: 0, host: "127.0.0.1", perMessageDeflate: false });
  bareWs.on("connection", (ws) => {
    ws.on("message", () => {
      for (const frame of frames) ws.send(frame, { binary: false });
    });
  });
  await new Promise<void>((resolve) => bareWs.once("listening", () => resolve()));
  const bareWsUrl = `ws://127.0.0.1:${(bareWs.address() as AddressInfo).port}/`;
  await runWebSocket(bareWsUrl, {}, 2_000);
  await runWebSocket(fakeWsUrl, wsHeaders, 2_000);
  const wsBase = await runWebSocket(bareWsUrl, {}, TOTAL);
  const wsMeasured = await runWebSocket(fakeWsUrl, wsHeaders, TOTAL);
  backend.state.clear();

  const row = (name: string, value: number) =>
    `${name.padEnd(46)} ${value.toFixed(0).padStart(8)} responses/s`;
  console.log(
    `Streamed Responses on loopback: ${TOTAL} requests, ${CONCURRENCY} keep-alive connections, ${sseBytes.length} SSE bytes each`,
  );
  console.log(row("baseline (bare node:http, same bytes)", base.perSecond));
  console.log(row("fake-backend /backend-api/codex/responses", measured.perSecond));
  const verdict = (value: number) => (value >= TARGET ? "met" : "NOT met");
  console.log(
    `  fake-backend / baseline: ${(ratio * 100).toFixed(0)}%   target >= ${TARGET} responses/s: ${verdict(measured.perSecond)}`,
  );
  console.log(`WebSocket response.create on ${CONCURRENCY} sockets, ${frames.length} frames each`);
  console.log(row("baseline (bare ws server, same frames)", wsBase));
  console.log(row("fake-backend WS /backend-api/codex/responses", wsMeasured));
  console.log(
    `  fake-backend / baseline: ${((wsMeasured / wsBase) * 100).toFixed(0)}%   target >= ${TARGET} responses/s: ${verdict(wsMeasured)}`,
  );

  await backend.close();
  await new Promise<void>((resolve) => baselineServer.close(() => resolve()));
  await new Promise<void>((resolve) => bareWs.close(() => resolve()));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
