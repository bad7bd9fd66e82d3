import type { IncomingMessage } from "node:http";
import { isJsonObject, parseRfc3339Seconds } from "@codex/wire";
import type { AssertionCheck, AuthScheme, BearerCheck } from "../fake-backend-state.js";
import type { BackendContext } from "./backend-context.js";

/** The auth facts of one request. */
export interface AuthVerification {
  readonly authScheme: AuthScheme;
  readonly bearer?: BearerCheck;
  readonly assertion?: AssertionCheck;
}

/** Which API a Responses call went to: ChatGPT backend or OpenAI API. */
export type Surface = "chatgpt" | "openai";

function runtimeIdOf(token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (isJsonObject(value)) {
      const id = value.agent_runtime_id;
      return typeof id === "string" ? id : undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Checks an `AgentAssertion` header: envelope, agent known, signature against the registered
 * key, task registered to that agent, timestamp within the allowed skew.
 */
export function verifyAssertionHeader(context: BackendContext, header: string): AssertionCheck {
  const token = header.slice("AgentAssertion ".length);
  const runtimeId = runtimeIdOf(token);
  if (runtimeId === undefined) return { verified: false, failure: "malformed" };
  const agent = context.state.agents.get(runtimeId);
  if (agent === undefined)
    return { verified: false, failure: "unknown_agent", agentRuntimeId: runtimeId };
  const verified = context.crypto.verifyAssertion(header, agent.publicKeySsh);
  if (verified === undefined) {
    return { verified: false, failure: "bad_signature", agentRuntimeId: runtimeId };
  }
  const base = {
    agentRuntimeId: verified.agentRuntimeId,
    taskId: verified.taskId,
    timestamp: verified.timestamp,
  };
  const at = parseRfc3339Seconds(verified.timestamp);
  if (at === undefined) return { verified: false, failure: "malformed", ...base };
  const skewSeconds = Math.round((context.options.now() - at) / 1000);
  const task = context.state.tasks.get(verified.taskId);
  if (task === undefined) return { verified: false, failure: "unknown_task", ...base, skewSeconds };
  if (task.agentRuntimeId !== verified.agentRuntimeId) {
    return { verified: false, failure: "task_of_other_agent", ...base, skewSeconds };
  }
  if (Math.abs(skewSeconds) > context.options.maxAssertionSkewSeconds) {
    return { verified: false, failure: "clock_skew", ...base, skewSeconds };
  }
  return { verified: true, ...base, skewSeconds };
}

/** Checks a Bearer value: a minted access token (ChatGPT) or an accepted API key (OpenAI). */
export function verifyBearer(
  context: BackendContext,
  token: string,
  surface: Surface,
): BearerCheck {
  if (surface === "openai") {
    const accepted =
      context.issuer.isMintedApiKey(token) ||
      (context.options.apiKeys === undefined
        ? token.startsWith("sk-") && token.length > 3
        : context.options.apiKeys.includes(token));
    return accepted
      ? { kind: "api_key", valid: true }
      : { kind: "unknown", valid: false, failure: "unknown" };
  }
  const check = context.issuer.checkAccessToken(token);
  return check.valid
    ? { kind: "access_token", valid: true, accountId: check.accountId }
    : {
        kind: check.failure === "unknown" ? "unknown" : "access_token",
        valid: false,
        failure: check.failure,
      };
}

/** Reads and checks the `Authorization` header of a request. */
export function verifyAuthorization(
  context: BackendContext,
  req: IncomingMessage,
  surface: Surface,
): AuthVerification {
  const header = req.headers.authorization;
  if (header === undefined || header === "") return { authScheme: "none" };
  if (header.startsWith("Bearer ")) {
    return { authScheme: "bearer", bearer: verifyBearer(context, header.slice(7).trim(), surface) };
  }
  if (header.startsWith("AgentAssertion ")) {
    return { authScheme: "agent-assertion", assertion: verifyAssertionHeader(context, header) };
  }
  return { authScheme: "other" };
}

/** The refusal a Responses call earns, or undefined when it may proceed. */
export interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Applies the auth rules and the configured demands to a verified request: 401 for missing or
 * invalid credentials (or a Bearer when an assertion is demanded), 403 for a missing
 * attestation or account id.
 */
export function refusalFor(
  context: BackendContext,
  auth: AuthVerification,
  surface: Surface,
  chatgptAccountId: string | undefined,
  attestation: string | undefined,
): Refusal | undefined {
  const demands = context.options.require;
  if (auth.authScheme === "none") {
    return unauthorized("missing_authorization", "You didn't provide an Authorization header.");
  }
  if (auth.authScheme === "other") {
    return unauthorized("invalid_authorization", "Unsupported Authorization scheme.");
  }
  if (auth.authScheme === "agent-assertion") {
    if (surface === "openai") {
      return unauthorized("invalid_api_key", "AgentAssertion is not accepted by the OpenAI API.");
    }
    const assertion = auth.assertion!;
    if (!assertion.verified) {
      const failure = assertion.failure ?? "malformed";
      return unauthorized("invalid_agent_assertion", "The AgentAssertion did not verify.", {
        "x-openai-authorization-error": failure,
        "x-error-json": Buffer.from(JSON.stringify({ error: { code: failure } })).toString(
          "base64",
        ),
      });
    }
  } else {
    const bearer = auth.bearer!;
    if (!bearer.valid) {
      if (surface === "openai")
        return unauthorized("invalid_api_key", "Incorrect API key provided.");
      return bearer.failure === "expired"
        ? unauthorized(
            "token_expired",
            "Your authentication token has expired. Please try signing in again.",
          )
        : unauthorized("invalid_token", "Your authentication token is not valid.");
    }
    if (surface === "chatgpt" && demands.agentAssertion === true) {
      return unauthorized("agent_assertion_required", "This backend requires an AgentAssertion.");
    }
    if (
      surface === "chatgpt" &&
      demands.chatgptAccountId === true &&
      chatgptAccountId !== context.options.account.chatgptAccountId
    ) {
      return forbidden("account_id_required", "ChatGPT-Account-ID is missing or does not match.");
    }
  }
  if (demands.attestation !== undefined && demands.attestation !== false) {
    const expected = typeof demands.attestation === "string" ? demands.attestation : undefined;
    if (
      attestation === undefined ||
      attestation === "" ||
      (expected !== undefined && attestation !== expected)
    ) {
      return forbidden("attestation_required", "A valid x-oai-attestation header is required.");
    }
  }
  return undefined;
}

function unauthorized(
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Refusal {
  return { status: 401, code, message, headers };
}

function forbidden(code: string, message: string): Refusal {
  return { status: 403, code, message, headers: {} };
}
