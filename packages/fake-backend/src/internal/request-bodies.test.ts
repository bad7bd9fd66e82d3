import { describe, expect, it } from "vitest";
import { HttpProblem } from "./http-io.js";
import {
  agentRegisterBody,
  jsonRpcMessage,
  parseBody,
  responsesRequestBody,
} from "./request-bodies.js";

function problemOf(run: () => unknown): HttpProblem {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpProblem) return error;
    throw error;
  }
  throw new Error("expected an HttpProblem");
}

describe("parseBody", () => {
  it("returns the typed body and keeps fields it does not read", () => {
    expect(parseBody(responsesRequestBody, { model: "m", stream: true })).toEqual({
      model: "m",
      stream: true,
    });
  });

  it.each([
    ["missing model", {}, "model"],
    ["empty model", { model: "" }, "model"],
    ["input not an array", { model: "m", input: "x" }, "input"],
    ["generate not a boolean", { model: "m", generate: "no" }, "generate"],
    [
      "previous_response_id a number",
      { model: "m", previous_response_id: 5 },
      "previous_response_id",
    ],
  ])("answers 400 invalid_request for %s, naming the field", (_name, body, field) => {
    const problem = problemOf(() => parseBody(responsesRequestBody, body));
    expect(problem.status).toBe(400);
    expect(problem.errorCode).toBe("invalid_request");
    expect(problem.message.startsWith(`${field}:`)).toBe(true);
  });

  it("picks the code from the path of the first issue and never echoes a value", () => {
    const secret = "sk-should-never-appear";
    const codeFor = (path: readonly PropertyKey[]) => (path[0] === "abom" ? "invalid_abom" : "x");
    const problem = problemOf(() =>
      parseBody(
        agentRegisterBody,
        { abom: { agent_version: secret }, agent_public_key: 5 },
        codeFor,
      ),
    );
    expect(problem.errorCode).toBe("invalid_abom");
    expect(problem.message).not.toContain(secret);
  });

  it("reads JSON-RPC requests and notifications, refusing other versions", () => {
    expect(parseBody(jsonRpcMessage, { jsonrpc: "2.0", id: 1, method: "ping" })).toMatchObject({
      id: 1,
      method: "ping",
    });
    expect(
      parseBody(jsonRpcMessage, { jsonrpc: "2.0", method: "notifications/initialized" }).id,
    ).toBe(undefined);
    expect(problemOf(() => parseBody(jsonRpcMessage, { jsonrpc: "1.0", method: "x" })).status).toBe(
      400,
    );
  });
});
