import { z } from "zod";
import { HttpProblem } from "./http-io.js";

/**
 * The request bodies the fake backend reads, each written once as a zod schema (types inferred).
 * Objects are loose: fields the fake does not read are kept, as the real backend ignores them.
 */

/** `POST …/responses`, `…/responses/compact`, and the WebSocket `response.create` message. */
export const responsesRequestBody = z.looseObject({
  model: z.string().min(1, "model must be a non-empty string"),
  input: z.array(z.unknown()).optional(),
  previous_response_id: z.string().nullish(),
  generate: z.boolean().optional(),
});

/** One WebSocket text frame on a Responses socket. */
export const websocketMessage = z.looseObject({ type: z.string().optional() });

/** `POST /backend-api/v1/agent/register`. */
export const agentRegisterBody = z.looseObject({
  abom: z.looseObject({
    agent_version: z.string(),
    agent_harness_id: z.string(),
    running_location: z.string(),
  }),
  agent_public_key: z.string(),
  capabilities: z.array(z.unknown()).optional(),
});

/** `POST /backend-api/v1/agent/{id}/task/register`. */
export const taskRegisterBody = z.looseObject({
  signature: z.string(),
  timestamp: z.string(),
});

/** Device-auth bodies: the string fields are read, anything else is ignored. */
export const deviceAuthFields = z
  .record(z.string(), z.unknown())
  .transform((fields) =>
    Object.fromEntries(
      Object.entries(fields).filter(
        (entry): entry is [string, string] => typeof entry[1] === "string",
      ),
    ),
  );

/** `POST /backend-api/ps/mcp`: one JSON-RPC 2.0 message (request or notification). */
export const jsonRpcMessage = z.looseObject({
  jsonrpc: z.literal("2.0"),
  method: z.string().min(1),
  id: z.union([z.string(), z.number()]).optional(),
  params: z.unknown().optional(),
});

/**
 * Parses `value` with `schema`; a mismatch becomes a 400 whose code `codeFor` picks from the path
 * of the first issue (default `invalid_request`). The message names the field, never its value.
 */
export function parseBody<T extends z.ZodType>(
  schema: T,
  value: unknown,
  codeFor: (path: readonly PropertyKey[]) => string = () => "invalid_request",
): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  const where = path.length === 0 ? "body" : path.map(String).join(".");
  throw new HttpProblem(400, codeFor(path), `${where}: ${issue?.message ?? "invalid"}`);
}
