import { expect, it } from "vitest";
import { CliError } from "./cli-error.js";

it("carries a code and an exit code (default 1)", () => {
  const e = new CliError("config", "Error loading configuration: bad");
  expect(e).toMatchObject({
    name: "CliError",
    code: "config",
    exitCode: 1,
    message: "Error loading configuration: bad",
  });
  expect(new CliError("usage", "x", { exitCode: 2 }).exitCode).toBe(2);
  expect(CliError.is(e)).toBe(true);
  expect(CliError.is(new Error("x"))).toBe(false);
});
