import { describe, expect, it } from "vitest";
import {
  AgentMessageDeltaNotification,
  ErrorNotification,
  ItemCompletedNotification,
  Turn,
  TurnCompletedNotification,
  TurnInterruptParams,
  TurnStartParams,
  TurnStartResponse,
  UserInput,
} from "./turn.js";

describe("turn messages", () => {
  it("parses every UserInput variant", () => {
    for (const input of [
      { type: "text", text: "hi" },
      {
        type: "text",
        text: "hi",
        text_elements: [{ byteRange: { start: 0, end: 2 }, placeholder: null }],
      },
      { type: "image", url: "https://example.com/a.png" },
      { type: "localImage", path: "/tmp/a.png" },
      { type: "skill", name: "s", path: "/skills/s" },
      { type: "mention", name: "m", path: "/m" },
    ]) {
      expect(UserInput.parse(input)).toEqual(input);
    }
    expect(UserInput.safeParse({ type: "audio", url: "x" }).success).toBe(false);
    expect(UserInput.safeParse({ type: "text" }).success).toBe(false);
  });

  it("parses turn/start params and rejects missing threadId or input", () => {
    expect(
      TurnStartParams.parse({
        threadId: "thr_1",
        input: [{ type: "text", text: "hi" }],
        effort: "high",
      }),
    ).toMatchObject({ threadId: "thr_1", effort: "high" });
    expect(TurnStartParams.safeParse({ threadId: "thr_1" }).success).toBe(false);
    expect(TurnStartParams.safeParse({ input: [] }).success).toBe(false);
    expect(TurnInterruptParams.safeParse({ threadId: "t" }).success).toBe(false);
  });

  it("keeps members it does not model on turns and items", () => {
    const turn = Turn.parse({
      id: "turn_1",
      items: [{ type: "agentMessage", id: "msg_1", text: "Hello" }],
      status: "completed",
      error: null,
      durationMs: 12,
    });
    expect(turn).toEqual({
      id: "turn_1",
      items: [{ type: "agentMessage", id: "msg_1", text: "Hello" }],
      status: "completed",
      error: null,
      durationMs: 12,
    });
    expect(Turn.safeParse({ id: "t", items: [], status: "done" }).success).toBe(false);
  });

  it("parses the spec's turn notifications", () => {
    expect(
      TurnStartResponse.parse({
        turn: { id: "turn_1", items: [], status: "inProgress", error: null },
      }).turn.status,
    ).toBe("inProgress");
    expect(
      AgentMessageDeltaNotification.parse({
        threadId: "thr_1",
        turnId: "turn_1",
        itemId: "msg_1",
        delta: "Hel",
      }).delta,
    ).toBe("Hel");
    expect(
      ItemCompletedNotification.parse({
        threadId: "t",
        turnId: "u",
        item: { type: "agentMessage", id: "m", text: "Hello" },
      }).item,
    ).toEqual({ type: "agentMessage", id: "m", text: "Hello" });
    expect(
      TurnCompletedNotification.parse({
        threadId: "t",
        turn: { id: "u", items: [], status: "interrupted" },
      }).turn.status,
    ).toBe("interrupted");
    expect(
      ErrorNotification.parse({
        error: { message: "boom" },
        willRetry: true,
        threadId: "t",
        turnId: "u",
      }).willRetry,
    ).toBe(true);
    expect(
      ErrorNotification.safeParse({ error: { message: "boom" }, threadId: "t", turnId: "u" })
        .success,
    ).toBe(false);
  });
});
