import { describe, expect, it } from "vitest";
import { uuidV7 } from "./uuid-v7.js";

describe("uuidV7", () => {
  it("puts the time first, version 7 and the RFC 9562 variant", () => {
    const id = uuidV7(0x01a246f9f403, new Uint8Array(10).fill(0xff));
    expect(id).toBe("01a246f9-f403-7fff-bfff-ffffffffffff");
    expect(uuidV7()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it("orders ids by time", () => {
    expect(uuidV7(1000) < uuidV7(2000)).toBe(true);
  });
});
