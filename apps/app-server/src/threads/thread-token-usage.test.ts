import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { threadTokenUsageUpdatedParams } from "./thread-token-usage.js";

const SCHEMA = new URL(
  "../../test/fixtures/threads-schema-0.169/ThreadTokenUsageUpdatedNotification.json",
  import.meta.url,
);

const usage = (input: number) => ({
  input_tokens: input,
  cached_input_tokens: 1,
  cache_write_input_tokens: 0,
  output_tokens: 2,
  reasoning_output_tokens: 0,
  total_tokens: input + 2,
});

describe("threadTokenUsageUpdatedParams", () => {
  it("is 0.169's thread/tokenUsage/updated params: the thread total and this response", () => {
    const params = threadTokenUsageUpdatedParams({
      threadId: "t",
      turnId: "u",
      responseId: "r",
      last: usage(10),
      turn: usage(10),
      total: usage(30),
      rateLimits: undefined,
    });
    expect(params).toEqual({
      threadId: "t",
      turnId: "u",
      tokenUsage: {
        total: {
          totalTokens: 32,
          inputTokens: 30,
          cachedInputTokens: 1,
          cacheWriteInputTokens: 0,
          outputTokens: 2,
          reasoningOutputTokens: 0,
        },
        last: expect.objectContaining({ inputTokens: 10, totalTokens: 12 }),
        modelContextWindow: null,
      },
    });
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, "utf8")));
    expect(validate(params), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...params, tokenUsage: { total: {} } })).toBe(false);
  });
});
