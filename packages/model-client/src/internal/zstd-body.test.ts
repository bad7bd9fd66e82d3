import { decompress } from "fzstd";
import { describe, expect, it } from "vitest";
import { zstdCompress } from "./zstd-body.js";

describe("zstdCompress", () => {
  it("writes one zstd frame that an independent decoder reads back", async () => {
    const body = new TextEncoder().encode(
      JSON.stringify({ model: "gpt-test", input: "é ✓ ".repeat(500) }),
    );
    const compressed = await zstdCompress(body);
    expect([...compressed.subarray(0, 4)]).toEqual([0x28, 0xb5, 0x2f, 0xfd]);
    expect(compressed.length).toBeLessThan(body.length);
    expect(decompress(compressed)).toEqual(body);
  });

  it("handles an empty body", async () => {
    expect(decompress(await zstdCompress(new Uint8Array()))).toEqual(new Uint8Array());
  });
});
