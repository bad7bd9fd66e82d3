import { describe, expect, it } from "vitest";
import { RolloutError } from "../index.js";
import { isUuid } from "../internal/uuid.js";
import { parseRolloutFileName, rolloutDateParts, rolloutPathFor } from "./rollout-path.js";

const ID = "0196b0c2-7d1e-7a3b-9c4d-5e6f70819203";

describe("rollout paths", () => {
  it("builds sessions/YYYY/MM/DD/rollout-<local ts>-<uuid>.jsonl from the local clock", () => {
    const t = new Date(2026, 4, 8, 12, 36, 2);
    expect(rolloutPathFor("/h", ID, t)).toBe(
      `/h/sessions/2026/05/08/rollout-2026-05-08T12-36-02-${ID}.jsonl`,
    );
    expect(() => rolloutPathFor("/h", "nope", t)).toThrow(RolloutError);
  });

  it("parses names, trying each dash from the right, reading the stamp as UTC", () => {
    expect(parseRolloutFileName(`rollout-2026-05-08T12-36-02-${ID}.jsonl`)).toEqual({
      stamp: "2026-05-08T12-36-02",
      timeMs: Date.UTC(2026, 4, 8, 12, 36, 2),
      threadId: ID,
    });
    expect(rolloutDateParts(`rollout-2026-05-08T12-36-02-${ID}.jsonl`)).toEqual({
      y: "2026",
      m: "05",
      d: "08",
    });
    for (const bad of [
      `rollout-2026-05-08T12-36-02-${ID}.json`,
      `x-2026-05-08T12-36-02-${ID}.jsonl`,
      "rollout-2026-05-08T12-36-02-notauuid.jsonl",
      `rollout-2026-05-08-${ID}.jsonl`,
      `rollout-${ID}.jsonl`,
      `rollout-2026-13-45T99-99-99-${ID}.jsonl`,
      `rollout-2026-02-30T12-00-00-${ID}.jsonl`,
      `rollout-2026-05-08T24-00-00-${ID}.jsonl`,
    ]) {
      expect(parseRolloutFileName(bad)).toBeNull();
      expect(rolloutDateParts(bad)).toBeNull();
    }
  });

  it("recognises UUIDs", () => {
    expect(isUuid(ID)).toBe(true);
    expect(isUuid(ID.toUpperCase())).toBe(true);
    expect(isUuid(`${ID}0`)).toBe(false);
  });
});
