import { expect, it } from "vitest";
import { HttpError } from "./errors.js";

it("recognises an HttpError from another installed copy by its brand, not its class", () => {
  const own = new HttpError("timeout", "deadline passed", { status: 504 });
  const foreign = Object.assign(new Error("x"), {
    code: "network",
    [Symbol.for("codex.http.error")]: true,
  });
  expect(HttpError.is(own)).toBe(true);
  expect(own.status).toBe(504);
  expect(HttpError.is(foreign)).toBe(true);
  expect(HttpError.is(new Error("plain"))).toBe(false);
  expect(HttpError.is({ code: "network", [Symbol.for("codex.http.error")]: true })).toBe(false);
  expect(HttpError.is(undefined)).toBe(false);
});
