import { describe, expect, it } from "vitest";
import { turnStateFromMetadataEvent } from "./metadata-turn-state.js";

describe("turnStateFromMetadataEvent", () => {
  it("reads x-codex-turn-state from a response.metadata event's headers, any case", () => {
    expect(
      turnStateFromMetadataEvent({
        type: "response.metadata",
        headers: { "X-Codex-Turn-State": "ts_1", "openai-model": "gpt-x" },
      }),
    ).toBe("ts_1");
    expect(
      turnStateFromMetadataEvent({
        type: "response.metadata",
        headers: { "x-codex-turn-state": ["ts_2", "ts_3"] },
      }),
    ).toBe("ts_2");
  });

  it("ignores other events, missing or empty values and malformed headers", () => {
    expect(
      turnStateFromMetadataEvent({
        type: "response.created",
        headers: { "x-codex-turn-state": "ts_1" },
      }),
    ).toBeUndefined();
    expect(turnStateFromMetadataEvent({ type: "response.metadata" })).toBeUndefined();
    expect(
      turnStateFromMetadataEvent({ type: "response.metadata", headers: ["x-codex-turn-state"] }),
    ).toBeUndefined();
    expect(
      turnStateFromMetadataEvent({
        type: "response.metadata",
        headers: { "x-codex-turn-state": "" },
      }),
    ).toBeUndefined();
    expect(
      turnStateFromMetadataEvent({
        type: "response.metadata",
        headers: { "x-codex-turn-state": 7 },
      }),
    ).toBeUndefined();
  });
});
