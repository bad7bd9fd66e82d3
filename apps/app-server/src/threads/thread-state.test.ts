import { describe, expect, it } from "vitest";
import { ThreadRegistry } from "./thread-state.js";

describe("ThreadRegistry", () => {
  it("finds, lists and clears added threads", () => {
    const registry = new ThreadRegistry<{ id: string; n: number }>();
    registry.add({ id: "a", n: 1 });
    registry.add({ id: "b", n: 2 });
    expect(registry.get("a").n).toBe(1);
    expect(registry.find("b")?.n).toBe(2);
    expect(registry.find("c")).toBeUndefined();
    expect(registry.all().map((t) => t.id)).toEqual(["a", "b"]);
    registry.clear();
    expect(registry.all()).toEqual([]);
  });

  it("refuses a non-string id and an unknown thread with typed errors", () => {
    const registry = new ThreadRegistry<{ id: string }>();
    expect(() => registry.get(42)).toThrow(expect.objectContaining({ code: "invalid_argument" }));
    expect(() => registry.get("nope")).toThrow(
      expect.objectContaining({ code: "thread_not_found", message: "thread not found: nope" }),
    );
  });
});
