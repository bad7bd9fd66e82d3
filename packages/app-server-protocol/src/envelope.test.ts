import { describe, expect, it } from "vitest";
import { JSONRPCMessage, RequestId } from "./envelope.js";

describe("envelope", () => {
  it("takes string and integer ids only", () => {
    expect(RequestId.parse("a7")).toBe("a7");
    expect(RequestId.parse(0)).toBe(0);
    expect(RequestId.parse(-5)).toBe(-5);
    for (const bad of [1.5, null, true, {}, Number.MAX_SAFE_INTEGER + 2]) {
      expect(RequestId.safeParse(bad).success).toBe(false);
    }
  });

  it("classifies in upstream's order and drops unknown members such as jsonrpc", () => {
    expect(JSONRPCMessage.parse({ jsonrpc: "2.0", id: 1, method: "m", params: {} })).toEqual({
      id: 1,
      method: "m",
      params: {},
    });
    expect(JSONRPCMessage.parse({ method: "m" })).toEqual({ method: "m" });
    expect(JSONRPCMessage.parse({ id: 1, result: {} })).toEqual({ id: 1, result: {} });
    expect(
      JSONRPCMessage.parse({ id: 1, error: { code: -32600, message: "x", data: { reason: "r" } } }),
    ).toEqual({
      id: 1,
      error: { code: -32600, message: "x", data: { reason: "r" } },
    });
    expect(JSONRPCMessage.safeParse({ id: 1 }).success).toBe(false);
    expect(JSONRPCMessage.safeParse({ id: 1, error: { code: "x", message: "y" } }).success).toBe(
      false,
    );
  });
});
