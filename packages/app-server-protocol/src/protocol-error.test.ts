import { describe, expect, it } from "vitest";
import { AppServerProtocolError } from "./protocol-error.js";

describe("AppServerProtocolError", () => {
  it("carries a code, a name and a cause", () => {
    const cause = new Error("low level");
    const error = new AppServerProtocolError("disconnected", "connection closed", { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("AppServerProtocolError");
    expect(error.code).toBe("disconnected");
    expect(error.cause).toBe(cause);
    expect(error.rpcError).toBeUndefined();
  });

  it("builds rpc errors for handlers to throw", () => {
    const error = AppServerProtocolError.rpc(-32600, "Not initialized", { a: 1 });
    expect(error.code).toBe("rpc_error");
    expect(error.rpcError).toEqual({ code: -32600, message: "Not initialized", data: { a: 1 } });
    expect(AppServerProtocolError.rpc(-32603, "x").rpcError).toEqual({
      code: -32603,
      message: "x",
    });
  });
});

describe("AppServerProtocolError.is", () => {
  it("recognises the brand, also on an error from another installed copy of the package", () => {
    expect(AppServerProtocolError.is(AppServerProtocolError.rpc(-32600, "bad"))).toBe(true);
    const foreign = Object.assign(new Error("x"), {
      [Symbol.for("codex.app-server-protocol.error")]: true,
      code: "disconnected",
    });
    expect(AppServerProtocolError.is(foreign)).toBe(true);
    expect(AppServerProtocolError.is(Object.assign(new Error("x"), { code: "disconnected" }))).toBe(
      false,
    );
    expect(AppServerProtocolError.is({ code: "disconnected" })).toBe(false);
  });
});
