// Runnable example: a real loopback server, the shared client, a redacting logger.
// Run after `pnpm --filter @codex/http build`:  node packages/http/examples/request.mjs
import { createServer } from "node:http";
import { createHttpClient } from "@codex/http";
import { createLogger, Secret } from "@codex/wire";

const server = createServer((req, res) => {
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ path: req.url, sawAuth: req.headers.authorization !== undefined }));
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address();

const token = new Secret("sk-example-not-a-real-key");
// No dispatcher given: the process-wide one (proxies and custom CA from the environment).
const http = createHttpClient({ logger: createLogger({ level: "debug" }) });
const { status, body } = await http.requestJson({
  method: "GET",
  url: `http://127.0.0.1:${port}/v1/models?code=one-time-code`,
  headers: { authorization: `Bearer ${token.reveal()}` },
  timeoutMs: 5_000,
  retry: { maxRetries: 2 },
});
console.log(status, body, `token prints as ${token}`);
server.close();
