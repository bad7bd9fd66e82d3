import { describe, expect, it } from "vitest";
import { TurnStateCell } from "./turn-state.js";

describe("TurnStateCell", () => {
  it("keeps the first non-empty value and ignores later ones", () => {
    const cell = new TurnStateCell();
    cell.set(undefined);
    cell.set("");
    expect(cell.value).toBeUndefined();
    cell.set("ts-1");
    cell.set("ts-2");
    expect(cell.value).toBe("ts-1");
  });

  it("captures the x-codex-turn-state header", () => {
    const cell = new TurnStateCell();
    cell.capture(new Headers());
    expect(cell.value).toBeUndefined();
    cell.capture(new Headers({ "x-codex-turn-state": "ts-h" }));
    cell.capture(new Headers({ "x-codex-turn-state": "ts-later" }));
    expect(cell.value).toBe("ts-h");
  });
});
