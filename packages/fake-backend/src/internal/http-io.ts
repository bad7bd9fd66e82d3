import type { IncomingMessage, ServerResponse } from "node:http";
import { isJsonObject, type JsonObject } from "@codex/wire";
import { z } from "zod";

/** Thrown by the body readers; turned into a 4xx JSON answer by the router. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly errorCode: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    errorCode: string,
    message: string,
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "HttpProblem";
    this.status = status;
    this.errorCode = errorCode;
    this.headers = headers;
  }
}

/** Reads the whole body, failing with 413 as soon as it grows past `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    req.on("error", (error) => {
      if (done) return;
      done = true;
      reject(
        new HttpProblem(
          400,
          "body_read_failed",
          `request body could not be read: ${error.message}`,
        ),
      );
    });
  });
}

function tooLarge(limit: number): HttpProblem {
  return new HttpProblem(413, "body_too_large", `request body is larger than ${limit} bytes`);
}

/** Parses a body that must be a JSON object. */
export function parseJsonObject(body: Buffer): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    throw new HttpProblem(400, "invalid_json", "request body is not valid JSON");
  }
  if (!isJsonObject(value)) {
    throw new HttpProblem(400, "invalid_json", "request body must be a JSON object");
  }
  return value as JsonObject;
}

/** OAuth bodies sent as JSON: every field a string (null counts as absent). */
const OAUTH_JSON_FIELDS = z.record(z.string(), z.string().nullable());

/** Parses a body as JSON or as `application/x-www-form-urlencoded`, by its content type. */
export function parseJsonOrForm(req: IncomingMessage, body: Buffer): Record<string, string> {
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (type.startsWith("application/json")) {
    const result = OAUTH_JSON_FIELDS.safeParse(parseJsonObject(body));
    if (!result.success) {
      const key = String(result.error.issues[0]?.path[0] ?? "");
      throw new HttpProblem(400, "invalid_request", `field ${key} must be a string`);
    }
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(result.data)) if (value !== null) out[key] = value;
    return out;
  }
  if (type.startsWith("application/x-www-form-urlencoded") || type === "") {
    const out: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(body.toString("utf8"))) out[key] = value;
    return out;
  }
  throw new HttpProblem(
    415,
    "unsupported_media_type",
    "body must be application/json or application/x-www-form-urlencoded",
  );
}

/** Reads a required string field of a parsed body. */
export function requireString(fields: Record<string, string>, name: string): string {
  const value = fields[name];
  if (value === undefined || value === "") {
    throw new HttpProblem(400, "invalid_request", `missing required field ${name}`);
  }
  return value;
}

/** Writes a JSON answer with `content-length`. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

/** The OpenAI-style error body used by every endpoint of the fake backend. */
export function errorBody(
  code: string,
  message: string,
  type = "invalid_request_error",
): JsonObject {
  return { error: { message, type, param: null, code } };
}

/** Writes an OpenAI-style JSON error answer; 5xx answers carry the `server_error` type. */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  const type = status >= 500 ? "server_error" : "invalid_request_error";
  sendJson(res, status, errorBody(code, message, type), headers);
}

/** The first value of a header, or undefined. */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  if (Array.isArray(value)) return value[0];
  return value;
}
