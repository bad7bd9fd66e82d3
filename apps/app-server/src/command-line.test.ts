import { describe, expect, it } from "vitest";
import { parseCommandLine } from "./command-line.js";

describe("parseCommandLine", () => {
  it("collects -c / --config overrides in order", () => {
    expect(parseCommandLine(["-c", 'model="a"', "--config", "x=1", "--config=y=2"])).toEqual({
      overrides: ['model="a"', "x=1", "y=2"],
    });
    expect(parseCommandLine([])).toEqual({ overrides: [] });
  });

  it.each([
    [["-c"], "-c needs key=value"],
    [["--verbose"], "unknown argument: --verbose"],
  ])("refuses %j with a typed error", (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrowError(
      expect.objectContaining({
        code: "invalid_options",
        message: expect.stringContaining(message),
      }),
    );
  });
});
