import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type RawData, WebSocket, WebSocketServer } from "ws";
import type { RequestRecord } from "../fake-backend-state.js";
import { rateLimitEvent } from "../rate-limit-headers.js";
import type { BackendContext } from "./backend-context.js";
import { errorBody, HttpProblem, parseJsonObject } from "./http-io.js";
import { refusalFor, type Surface } from "./request-verification.js";
import { parseResponsesRequest, planFor, responseHeaders } from "./responses-http.js";

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  426: "Upgrade Required",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

/** Writes a plain HTTP answer on an upgrade socket and closes it. */
export function rejectUpgrade(
  socket: Duplex,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const payload = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Error"}`,
    "content-type: application/json",
    `content-length: ${Buffer.byteLength(payload)}`,
    "connection: close",
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.end(`${lines.join("\r\n")}\r\n\r\n${payload}`);
}

/** The WebSocket side of the Responses endpoints. */
export class ResponsesWebSocket {
  private readonly server: WebSocketServer;
  private readonly pendingHeaders = new WeakMap<IncomingMessage, Record<string, string>>();
  private readonly context: BackendContext;

  constructor(context: BackendContext) {
    this.context = context;
    this.server = new WebSocketServer({
      noServer: true,
      maxPayload: context.options.maxBodyBytes,
      perMessageDeflate: true,
    });
    this.server.on("headers", (headers, req) => {
      const extra = this.pendingHeaders.get(req);
      if (extra === undefined) return;
      for (const [name, value] of Object.entries(extra)) headers.push(`${name}: ${value}`);
    });
  }

  /**
   * Handles an upgrade for a Responses path: scripted handshake faults (426, ...), auth
   * refusals (401/403), else accepts and serves `response.create` messages one at a time.
   */
  upgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    record: RequestRecord,
    surface: Surface,
  ): void {
    const context = this.context;
    const fault = context.queues.handshakes.shift();
    if (fault !== undefined) {
      record.status = fault.status;
      rejectUpgrade(
        socket,
        fault.status,
        fault.body ?? errorBody("scripted", "scripted handshake failure"),
        fault.headers,
      );
      return;
    }
    const refusal = refusalFor(
      context,
      {
        authScheme: record.authScheme,
        ...(record.bearer === undefined ? {} : { bearer: record.bearer }),
        ...(record.assertion === undefined ? {} : { assertion: record.assertion }),
      },
      surface,
      record.chatgptAccountId,
      record.attestation,
    );
    if (refusal !== undefined) {
      record.status = refusal.status;
      rejectUpgrade(
        socket,
        refusal.status,
        errorBody(refusal.code, refusal.message),
        refusal.headers,
      );
      return;
    }
    this.pendingHeaders.set(req, responseHeaders(context, req, record, surface, undefined));
    this.server.handleUpgrade(req, socket, head, (ws) => {
      record.status = 101;
      this.serve(ws, record, surface);
    });
  }

  private serve(ws: WebSocket, record: RequestRecord, surface: Surface): void {
    let chain = Promise.resolve();
    ws.on("message", (data: RawData, isBinary: boolean) => {
      chain = chain
        .then(() => this.onMessage(ws, record, surface, data, isBinary))
        .catch(() => {
          ws.terminate();
        });
    });
    ws.on("error", () => ws.terminate());
  }

  private async onMessage(
    ws: WebSocket,
    record: RequestRecord,
    surface: Surface,
    data: RawData,
    isBinary: boolean,
  ): Promise<void> {
    if (ws.readyState !== WebSocket.OPEN) return;
    const context = this.context;
    if (isBinary) {
      sendError(ws, 400, "invalid_request", "binary frames are not supported");
      return;
    }
    const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    let message: ReturnType<typeof parseJsonObject>;
    try {
      message = parseJsonObject(raw);
    } catch (error) {
      sendError(ws, 400, "invalid_json", error instanceof Error ? error.message : "invalid JSON");
      return;
    }
    context.state.append(record.websocketMessages, message);
    if (message.type === "response.processed") return;
    if (message.type !== "response.create") {
      sendError(ws, 400, "invalid_request", "message type must be response.create");
      return;
    }
    let request: ReturnType<typeof parseResponsesRequest>;
    try {
      request = parseResponsesRequest(message);
    } catch (error) {
      const problem = error instanceof HttpProblem ? error : undefined;
      sendError(
        ws,
        problem?.status ?? 400,
        problem?.errorCode ?? "invalid_request",
        problem?.message ?? "bad request",
      );
      return;
    }
    if (
      request.previousResponseId !== undefined &&
      !context.responses.has(request.previousResponseId)
    ) {
      sendError(ws, 400, "previous_response_not_found", "previous_response_id is unknown");
      return;
    }
    const plan = planFor(context, request);
    if (plan.kind === "status") {
      const body = plan.body as { error?: unknown } | undefined;
      ws.send(
        JSON.stringify({
          type: "error",
          status: plan.status,
          error: body?.error ?? body ?? null,
          headers: plan.headers,
        }),
      );
      return;
    }
    if (surface === "chatgpt" && context.options.rateLimits !== false) {
      ws.send(
        JSON.stringify(
          rateLimitEvent(
            context.options.rateLimits,
            context.options.account.planType,
            context.options.now(),
          ),
        ),
      );
    }
    let flushed: Promise<void> = Promise.resolve();
    for (const action of plan.actions) {
      if (action.type === "event") {
        flushed = new Promise((resolve) => ws.send(JSON.stringify(action.event), () => resolve()));
        continue;
      }
      if (action.type === "disconnect") {
        // Let the frames already sent reach the client, then drop the TCP connection.
        await flushed;
        ws.terminate();
        return;
      }
      await new Promise<void>((resolve) => {
        const release = () => {
          context.stalls.delete(release);
          ws.terminate();
          resolve();
        };
        context.stalls.add(release);
        ws.once("close", release);
      });
      return;
    }
  }

  /** Closes every open WebSocket. */
  close(): void {
    for (const client of this.server.clients) client.terminate();
    this.server.close();
  }
}

function sendError(ws: WebSocket, status: number, code: string, message: string): void {
  ws.send(JSON.stringify({ type: "error", status, error: errorBody(code, message).error }));
}
