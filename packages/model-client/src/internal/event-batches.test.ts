import { describe, expect, it } from "vitest";
import { flattenBatches } from "./event-batches.js";

describe("flattenBatches", () => {
  it("hands out the items of each batch in order, skipping empty batches", async () => {
    async function* source() {
      yield [1, 2];
      yield [];
      yield [3];
    }
    const out: number[] = [];
    for await (const n of flattenBatches(source())) out.push(n);
    expect(out).toEqual([1, 2, 3]);
  });

  it("a break ends the source at once, running its cleanup", async () => {
    let cleaned = false;
    let pulled = 0;
    async function* source() {
      try {
        for (;;) {
          pulled++;
          yield [pulled, pulled];
        }
      } finally {
        cleaned = true;
      }
    }
    for await (const n of flattenBatches(source())) if (n === 2) break;
    expect(cleaned).toBe(true);
    expect(pulled).toBe(2);
  });

  it("passes the source's error to the consumer", async () => {
    async function* source(): AsyncGenerator<number[], void, undefined> {
      yield [1];
      throw new Error("boom");
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const n of flattenBatches(source())) seen.push(n);
      })(),
    ).rejects.toThrow("boom");
    expect(seen).toEqual([1]);
  });
});
