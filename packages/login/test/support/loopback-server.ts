// The plumbing shared by the test servers on 127.0.0.1 (loopback issuer, loopback backend, the
// cross-process token endpoint): read the whole body, answer 500 when a handler throws, bind an
// OS-chosen port, and close without waiting for idle keep-alive sockets.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

/** One request with its body already read. */
export interface LoopbackRequest {
  readonly req: IncomingMessage;
  readonly url: URL;
  readonly body: string;
}

/** A running loopback test server. */
export interface LoopbackServer {
  /** `http://127.0.0.1:{port}`. */
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Reads a request body as UTF-8. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Writes a JSON response. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Starts a server on 127.0.0.1 (OS-chosen port) around an async handler. */
export async function startLoopbackServer(
  handle: (request: LoopbackRequest, res: ServerResponse) => void | Promise<void>,
): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      await handle({ req, url, body: await readBody(req) }, res);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const addr = server.address();
  if (addr === null || typeof addr === "string") throw new Error("loopback server has no port");
  return {
    origin: `http://127.0.0.1:${addr.port}`,
    port: addr.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
