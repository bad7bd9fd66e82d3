import { expect, it } from "vitest";
import { AppServerError } from "./app-server-error.js";

it("carries a code, a name and the cause; is() tells it apart", () => {
  const cause = new Error("inner");
  const error = new AppServerError("routing_failed", "workspace routing discovery failed", {
    cause,
  });
  expect(error).toBeInstanceOf(Error);
  expect(error.name).toBe("AppServerError");
  expect(error.code).toBe("routing_failed");
  expect(error.cause).toBe(cause);
  expect(AppServerError.is(error)).toBe(true);
  expect(AppServerError.is(new Error("x"))).toBe(false);
  expect(new AppServerError("invalid_options", "m").cause).toBeUndefined();
});
