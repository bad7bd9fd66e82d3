/**
 * A pass-through in front of `@codex/fake-backend` that answers `GET …/wham/accounts/check` the
 * way 0.169's workspace routing discovery accepts it.
 *
 * 0.169 reads `workspace_backend_origin` / `account_routing_override` only from the *list* form of
 * the answer (`{"accounts":[{"id",…,"workspace_backend_origin":"https://…",
 * "account_routing_override":"NO_CONSTRAINT"}]}`); in the map form
 * (`{"accounts":{"<id>":{"account":{…}}}}`, the fake backend's) it reports
 * `workspace routing discovery missing backend origin` even when the fields are inside `account`
 * or beside it (probed against the binary). Without routing, 0.169 fails every ChatGPT-token
 * login (`account/login/completed success:false`) and `account/read`. So the front asks the
 * backend first (its auth checks and request records stay as they are) and rewrites a 200 map
 * answer into the list form with an https origin; every other request is piped through unchanged
 * (SSE streams included).
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

/** The front's URLs (same layout as the backend's) and its stop. */
export interface WorkspaceRoutingFront {
  readonly url: string;
  readonly chatgptBaseUrl: string;
  readonly openaiBaseUrl: string;
  close(): Promise<void>;
}

/** The origin the rewritten answer names (no data-residency constraint: requests stay put). */
export const WORKSPACE_BACKEND_ORIGIN = "https://chatgpt.com";

interface MapEntry {
  readonly account?: Readonly<Record<string, unknown>>;
}

/** Map form → list form with routing fields; anything else is returned unchanged. */
export function toRoutedList(body: unknown): unknown {
  if (body === null || typeof body !== "object") return body;
  const accounts = (body as { accounts?: unknown }).accounts;
  if (accounts === null || typeof accounts !== "object" || Array.isArray(accounts)) return body;
  const list = Object.entries(accounts as Record<string, MapEntry>).map(([id, entry]) => {
    const { account_id: _accountId, ...rest } = entry.account ?? {};
    return {
      ...rest,
      id,
      workspace_backend_origin: WORKSPACE_BACKEND_ORIGIN,
      account_routing_override: "NO_CONSTRAINT",
    };
  });
  return { ...(body as object), accounts: list };
}

/** Starts the front on 127.0.0.1 (ephemeral port) before the backend at `backendUrl`. */
export async function startWorkspaceRoutingFront(
  backendUrl: string,
): Promise<WorkspaceRoutingFront> {
  const target = new URL(backendUrl);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const rewrite =
      req.method === "GET" && (req.url ?? "").split("?")[0]?.endsWith("/wham/accounts/check");
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        if (!rewrite || answer.statusCode !== 200) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("end", () => {
          let text = Buffer.concat(chunks).toString("utf8");
          try {
            text = JSON.stringify(toRoutedList(JSON.parse(text)));
          } catch {
            // not JSON: passed on as is
          }
          const { "content-length": _length, ...headers } = answer.headers;
          res.writeHead(200, { ...headers, "content-length": Buffer.byteLength(text) });
          res.end(text);
        });
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    chatgptBaseUrl: `${url}/backend-api`,
    openaiBaseUrl: `${url}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
