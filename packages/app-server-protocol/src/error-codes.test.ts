import { describe, expect, it } from "vitest";
import {
  alreadyInitializedError,
  internalError,
  invalidRequestError,
  notInitializedError,
  overloadedError,
  rpcErrorObject,
} from "./error-codes.js";

describe("error codes", () => {
  it("match upstream's codes and messages", () => {
    expect(notInitializedError()).toEqual({ code: -32600, message: "Not initialized" });
    expect(alreadyInitializedError()).toEqual({ code: -32600, message: "Already initialized" });
    expect(overloadedError()).toEqual({ code: -32001, message: "Server overloaded; retry later." });
    expect(invalidRequestError("unknown method")).toEqual({
      code: -32600,
      message: "Invalid request: unknown method",
    });
    expect(internalError()).toEqual({ code: -32603, message: "Internal error" });
    expect(
      rpcErrorObject(-32600, "Server is draining; retry after reconnecting", {
        reason: "serverShuttingDown",
      }),
    ).toEqual({
      code: -32600,
      message: "Server is draining; retry after reconnecting",
      data: { reason: "serverShuttingDown" },
    });
  });
});
