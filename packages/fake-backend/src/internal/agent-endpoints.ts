import type { IncomingMessage, ServerResponse } from "node:http";
import { parseRfc3339Seconds } from "@codex/wire";
import type { RequestRecord } from "../fake-backend-state.js";
import type { BackendContext } from "./backend-context.js";
import { HttpProblem, headerValue, parseJsonObject, readBody, sendJson } from "./http-io.js";
import { agentRegisterBody, parseBody, taskRegisterBody } from "./request-bodies.js";
import { verifyBearer } from "./request-verification.js";

const AGENT_BODY_LIMIT = 64 * 1024;

function limit(context: BackendContext): number {
  return Math.min(AGENT_BODY_LIMIT, context.options.maxBodyBytes);
}

/**
 * `GET /backend-api/authenticate_app_v2`: exchanges a valid Bearer access token for a
 * single-use biscuit in the `x-openai-authorization` response header, bound to
 * `X-Original-Method` / `X-Original-Url` when sent.
 */
export function handleAuthenticateApp(
  context: BackendContext,
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
): void {
  const header = headerValue(req, "authorization") ?? "";
  if (!header.startsWith("Bearer ")) {
    throw new HttpProblem(401, "missing_authorization", "a Bearer access token is required");
  }
  const bearer = verifyBearer(context, header.slice(7).trim(), "chatgpt");
  Object.assign(record, { authScheme: "bearer", bearer });
  if (!bearer.valid) {
    throw new HttpProblem(
      401,
      bearer.failure === "expired" ? "token_expired" : "invalid_token",
      "the access token is not valid",
    );
  }
  const biscuit = context.issuer.randomToken("biscuit_");
  context.biscuits.set(biscuit, {
    accountId: bearer.accountId ?? context.options.account.chatgptAccountId,
    userId: context.options.account.chatgptUserId,
    originalMethod: headerValue(req, "x-original-method"),
    originalUrl: headerValue(req, "x-original-url"),
  });
  sendJson(res, 200, {}, { "x-openai-authorization": biscuit });
}

function consumeBiscuit(context: BackendContext, req: IncomingMessage, path: string) {
  const value = headerValue(req, "x-openai-authorization");
  if (value === undefined || value === "") {
    throw new HttpProblem(401, "missing_biscuit", "X-OpenAI-Authorization is required");
  }
  const biscuit = context.biscuits.get(value);
  context.biscuits.delete(value);
  if (biscuit === undefined) {
    throw new HttpProblem(
      401,
      "invalid_biscuit",
      "X-OpenAI-Authorization is unknown or already used",
    );
  }
  if (biscuit.originalMethod !== undefined && biscuit.originalMethod.toUpperCase() !== req.method) {
    throw new HttpProblem(401, "biscuit_mismatch", "the biscuit was minted for another method");
  }
  if (biscuit.originalUrl !== undefined) {
    let originalPath: string | undefined;
    try {
      originalPath = new URL(biscuit.originalUrl).pathname;
    } catch {
      originalPath = undefined;
    }
    if (originalPath !== path) {
      throw new HttpProblem(401, "biscuit_mismatch", "the biscuit was minted for another URL");
    }
  }
  return biscuit;
}

/**
 * `POST /backend-api/v1/agent/register`: stores the agent's ssh public key and answers
 * `{ agent_runtime_id }`.
 */
export async function handleAgentRegister(
  context: BackendContext,
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
  path: string,
): Promise<void> {
  const biscuit = consumeBiscuit(context, req, path);
  const body = parseJsonObject(await readBody(req, limit(context)));
  record.body = body;
  const {
    abom,
    agent_public_key: publicKeySsh,
    capabilities,
  } = parseBody(agentRegisterBody, body, (path) =>
    path[0] === "abom"
      ? "invalid_abom"
      : path[0] === "agent_public_key"
        ? "invalid_public_key"
        : "invalid_request",
  );
  const publicKey = context.crypto.decodePublicKey(publicKeySsh);
  if (publicKey === undefined) {
    throw new HttpProblem(
      400,
      "invalid_public_key",
      "agent_public_key must be an ssh-ed25519 public key",
    );
  }
  const agentRuntimeId = `agent_${Buffer.from(context.options.randomBytes(12)).toString("hex")}`;
  context.state.agents.set(agentRuntimeId, {
    agentRuntimeId,
    publicKeySsh,
    publicKey,
    abom,
    capabilities: capabilities ?? [],
    chatgptAccountId: biscuit.accountId,
    chatgptUserId: biscuit.userId,
    registeredAt: context.options.now(),
  });
  sendJson(res, 200, { agent_runtime_id: agentRuntimeId });
}

/**
 * `POST /backend-api/v1/agent/{id}/task/register`: checks the Ed25519 signature over
 * `{id}:{timestamp}` with the registered key and the timestamp skew, then answers the new task
 * id sealed to the agent's key as `{ encrypted_task_id }`.
 */
export async function handleTaskRegister(
  context: BackendContext,
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
  path: string,
  agentRuntimeId: string,
): Promise<void> {
  const biscuit = consumeBiscuit(context, req, path);
  const body = parseJsonObject(await readBody(req, limit(context)));
  record.body = body;
  const agent = context.state.agents.get(agentRuntimeId);
  if (agent === undefined)
    throw new HttpProblem(404, "agent_not_found", "no agent with this runtime id");
  if (agent.chatgptAccountId !== biscuit.accountId) {
    throw new HttpProblem(403, "agent_of_other_account", "the agent belongs to another account");
  }
  const { signature, timestamp } = parseBody(taskRegisterBody, body);
  const at = parseRfc3339Seconds(timestamp);
  if (at === undefined) {
    throw new HttpProblem(400, "invalid_timestamp", "timestamp must be YYYY-MM-DDTHH:MM:SSZ");
  }
  if (
    !context.crypto.verifyRegistrationSignature(
      agent.publicKeySsh,
      agentRuntimeId,
      timestamp,
      signature,
    )
  ) {
    throw new HttpProblem(401, "invalid_signature", "the registration signature did not verify");
  }
  if (Math.abs(context.options.now() - at) > context.options.maxAssertionSkewSeconds * 1000) {
    throw new HttpProblem(401, "timestamp_skew", "the registration timestamp is too far from now");
  }
  const taskId = `task_${Buffer.from(context.options.randomBytes(12)).toString("hex")}`;
  context.state.tasks.set(taskId, {
    taskId,
    agentRuntimeId,
    timestamp,
    registeredAt: context.options.now(),
  });
  sendJson(res, 200, { encrypted_task_id: context.crypto.sealTaskId(agent.publicKeySsh, taskId) });
}
