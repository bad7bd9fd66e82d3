import { describe, expect, it } from "vitest";
import { serverNotificationSchemas } from "./method-maps.js";
import { ThreadTokenUsageUpdatedNotification } from "./token-usage.js";

const breakdown = {
  totalTokens: 30,
  inputTokens: 20,
  cachedInputTokens: 5,
  cacheWriteInputTokens: 0,
  outputTokens: 10,
  reasoningOutputTokens: 2,
};
// as 0.169 sends it after a response with usage
const params = {
  threadId: "019a0000-0000-7000-8000-000000000001",
  turnId: "019a0000-0000-7000-8000-000000000002",
  tokenUsage: { total: breakdown, last: breakdown, modelContextWindow: null },
};

describe("thread/tokenUsage/updated", () => {
  it("is a server notification whose params keep every member 0.169 sends", () => {
    const schema = serverNotificationSchemas["thread/tokenUsage/updated"];
    expect(schema.name).toBe("ThreadTokenUsageUpdatedNotification");
    expect(schema.params.parse(params)).toEqual(params);
  });

  it("accepts a sender without cacheWriteInputTokens (0.169's schema defaults it)", () => {
    const { cacheWriteInputTokens: _omitted, ...older } = breakdown;
    const parsed = ThreadTokenUsageUpdatedNotification.parse({
      ...params,
      tokenUsage: { total: older, last: older },
    });
    expect(parsed.tokenUsage.total.totalTokens).toBe(30);
  });

  it.each([
    ["a missing turn id", { ...params, turnId: undefined }],
    [
      "a fractional count",
      {
        ...params,
        tokenUsage: { ...params.tokenUsage, last: { ...breakdown, outputTokens: 1.5 } },
      },
    ],
    [
      "a count as text",
      {
        ...params,
        tokenUsage: { ...params.tokenUsage, total: { ...breakdown, totalTokens: "30" } },
      },
    ],
    ["no usage", { threadId: params.threadId, turnId: params.turnId }],
  ])("refuses %s", (_case, bad) => {
    expect(ThreadTokenUsageUpdatedNotification.safeParse(bad).success).toBe(false);
  });
});
