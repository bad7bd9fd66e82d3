import { describe, expect, it } from "vitest";
import { readTurnNotification } from "./turn-notification.js";

const agent = (text: string) => ({
  type: "agentMessage",
  id: "msg_1",
  text,
  phase: null,
  moderation: null,
});

describe("readTurnNotification", () => {
  it("reads the notifications of a 0.169 turn", () => {
    expect(readTurnNotification({ method: "turn/started", params: { turn: {} } })).toEqual({
      kind: "turnStarted",
    });
    expect(
      readTurnNotification({ method: "item/completed", params: { item: agent("hello") } }),
    ).toEqual({
      kind: "itemCompleted",
      item: { kind: "agentMessage", id: "msg_1", text: "hello" },
    });
    expect(
      readTurnNotification({ method: "item/started", params: { item: agent("") } }),
    ).toMatchObject({ kind: "itemStarted" });
    expect(
      readTurnNotification({
        method: "item/completed",
        params: { item: { type: "reasoning", id: "r", summary: ["a", "b"] } },
      }),
    ).toEqual({ kind: "itemCompleted", item: { kind: "reasoning", id: "r", text: "a\nb" } });
  });

  it("joins an error's additional details as 0.169 does", () => {
    expect(
      readTurnNotification({
        method: "error",
        params: { error: { message: "boom", additionalDetails: "more" }, willRetry: false },
      }),
    ).toEqual({ kind: "error", message: "boom (more)", willRetry: false });
    expect(
      readTurnNotification({
        method: "error",
        params: { error: { message: "retrying", additionalDetails: "" }, willRetry: true },
      }),
    ).toEqual({ kind: "error", message: "retrying", willRetry: true });
  });

  it("reads turn/completed: status, error, agent messages in order", () => {
    expect(
      readTurnNotification({
        method: "turn/completed",
        params: {
          turn: {
            status: "failed",
            error: { message: "bad", additionalDetails: null },
            items: [agent("one"), { type: "userMessage" }, agent("two")],
          },
        },
      }),
    ).toEqual({
      kind: "turnCompleted",
      status: "failed",
      errorMessage: "bad",
      agentMessages: ["one", "two"],
    });
  });

  it("reads thread/tokenUsage/updated totals (missing counts are 0)", () => {
    expect(
      readTurnNotification({
        method: "thread/tokenUsage/updated",
        params: { tokenUsage: { total: { inputTokens: 5, outputTokens: 2 }, last: {} } },
      }),
    ).toEqual({
      kind: "tokenUsage",
      total: {
        inputTokens: 5,
        cachedInputTokens: 0,
        cacheWriteInputTokens: 0,
        outputTokens: 2,
        reasoningOutputTokens: 0,
      },
    });
  });

  it("ignores what exec does not show and anything malformed, never throwing", () => {
    for (const bad of [
      { method: "item/agentMessage/delta", params: { delta: "x" } },
      { method: "item/completed", params: { item: { type: "userMessage" } } },
      { method: "item/completed", params: "nope" },
      { method: "error", params: { error: "boom" } },
      { method: "error" },
      { method: "turn/completed", params: { turn: { status: "weird" } } },
      { method: "thread/tokenUsage/updated", params: { tokenUsage: null } },
      { method: "something/else", params: {} },
    ]) {
      expect(readTurnNotification(bad), bad.method).toEqual({ kind: "ignored" });
    }
  });
});
