import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ModelClientError } from "./model-client-error.js";
import { buildClientMetadata, buildResponsesBody, type Prompt } from "./responses-request.js";

const fixture = JSON.parse(
  readFileSync(
    new URL("../test/fixtures/upstream-0.169-responses-request.json", import.meta.url),
    "utf8",
  ),
) as { apiKeyHttp: { bodyKeys: string[]; clientMetadataKeys: string[] } };

const identity = { threadId: "T1", installationId: "1111", windowId: "T1:0" };
const prompt: Prompt = {
  input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }],
};
const turnMetadata = JSON.stringify({
  installation_id: "1111",
  session_id: "S1",
  thread_id: "T1",
  turn_id: "u1",
  root_turn_id: "u1",
  sandbox: "none",
});

describe("buildResponsesBody", () => {
  it("has the body keys of the 0.169 client, in its order", () => {
    const body = buildResponsesBody(
      prompt,
      { model: "gpt-test", reasoning: { effort: "medium", summary: "auto" }, turnMetadata },
      identity,
    );
    expect(Object.keys(body)).toEqual(fixture.apiKeyHttp.bodyKeys);
    expect(body).toMatchObject({
      model: "gpt-test",
      stream: true,
      tool_choice: "auto",
      parallel_tool_calls: false,
      reasoning: { effort: "medium", summary: "auto" },
      store: false,
      include: ["reasoning.encrypted_content"],
      prompt_cache_key: "T1",
    });
    expect(Object.keys(body.client_metadata as object)).toEqual(
      fixture.apiKeyHttp.clientMetadataKeys,
    );
  });

  it("sends reasoning null and an empty include without reasoning; instructions when set", () => {
    const body = buildResponsesBody(
      { ...prompt, instructions: "be brief", parallelToolCalls: true },
      { model: "m", reasoning: null },
      identity,
      { store: true },
    );
    expect(body.reasoning).toBeNull();
    expect(body.include).toEqual([]);
    expect(body.instructions).toBe("be brief");
    expect(body.store).toBe(true);
    expect(body.parallel_tool_calls).toBe(true);
    expect(Object.keys(body)[1]).toBe("instructions");
  });

  it("drops the summary when it is none; adds service tier and text format", () => {
    const body = buildResponsesBody(
      prompt,
      {
        model: "m",
        reasoning: { effort: "high", summary: "none" },
        serviceTier: "priority",
        verbosity: "low",
        outputSchema: { schema: { type: "object" } },
      },
      identity,
    );
    expect(body.reasoning).toEqual({ effort: "high" });
    expect(body.service_tier).toBe("priority");
    expect(body.text).toEqual({
      verbosity: "low",
      format: {
        type: "json_schema",
        strict: true,
        schema: { type: "object" },
        name: "codex_output_schema",
      },
    });
  });

  const bad: [string, unknown, unknown][] = [
    ["empty model", prompt, { model: "" }],
    ["no turn", prompt, null],
    ["input not an array", { input: "hi" }, { model: "m" }],
    ["input item not an object", { input: ["hi"] }, { model: "m" }],
    ["tools not an array", { input: [], tools: {} }, { model: "m" }],
  ];
  it.each(bad)("refuses %s with invalid_argument", (_label, p, t) => {
    expect(() => buildResponsesBody(p as Prompt, t as { model: string }, identity)).toThrow(
      ModelClientError,
    );
  });
});

describe("buildClientMetadata", () => {
  it("holds installation and window ids without turn metadata; ignores metadata that is not JSON", () => {
    expect(buildClientMetadata(identity, undefined)).toEqual({
      "x-codex-installation-id": "1111",
      "x-codex-window-id": "T1:0",
    });
    expect(buildClientMetadata(identity, "not json")).toEqual({
      "x-codex-installation-id": "1111",
      "x-codex-turn-metadata": "not json",
      "x-codex-window-id": "T1:0",
    });
  });
});
