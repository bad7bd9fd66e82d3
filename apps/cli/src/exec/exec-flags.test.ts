import { describe, expect, it } from "vitest";
import { CliError } from "../cli-error.js";
import { execRequestFromFlags, mergeFlags, UNSUPPORTED_FLAGS } from "./exec-flags.js";

describe("execRequestFromFlags", () => {
  it("builds a new-session run; --enable/--disable become feature overrides after -c", () => {
    expect(
      execRequestFromFlags({
        flags: { json: true, model: "m", enable: ["a"], disable: ["b"], image: ["x.png"] },
        overrides: ['model="o3"'],
        operands: ["hi"],
        resume: false,
      }),
    ).toEqual({
      prompt: "hi",
      resume: undefined,
      json: true,
      model: "m",
      cd: undefined,
      skipGitRepoCheck: false,
      outputLastMessage: undefined,
      images: ["x.png"],
      sandbox: undefined,
      overrides: ['model="o3"', "features.a=true", "features.b=false"],
    });
    expect(
      execRequestFromFlags({
        flags: { experimentalJson: true },
        overrides: [],
        operands: [undefined],
        resume: false,
      }).json,
    ).toBe(true);
  });

  it("resume: <id> [prompt], or --last [prompt]", () => {
    expect(
      execRequestFromFlags({ flags: {}, overrides: [], operands: ["id-1", "go"], resume: true }),
    ).toMatchObject({ prompt: "go", resume: { threadId: "id-1", last: false, all: false } });
    expect(
      execRequestFromFlags({
        flags: { last: true, all: true },
        overrides: [],
        operands: ["go", undefined],
        resume: true,
      }),
    ).toMatchObject({ prompt: "go", resume: { threadId: undefined, last: true, all: true } });
    expect(() =>
      execRequestFromFlags({
        flags: {},
        overrides: [],
        operands: [undefined, undefined],
        resume: true,
      }),
    ).toThrow(/needs a session id, or --last/);
  });

  it("refuses every unsupported flag in one line", () => {
    for (const [key, flag] of UNSUPPORTED_FLAGS) {
      const value = key === "ephemeral" || key === "oss" ? true : "x";
      let error: unknown;
      try {
        execRequestFromFlags({
          flags: { [key]: value },
          overrides: [],
          operands: ["hi"],
          resume: false,
        });
      } catch (e) {
        error = e;
      }
      expect(CliError.is(error), flag).toBe(true);
      expect((error as CliError).message).toMatch(
        new RegExp(`^Error: ${flag} is not supported by this codex exec \\(.+\\)\\.$`),
      );
    }
  });
});

describe("mergeFlags", () => {
  it("flags after resume win; lists add up; undefined never overrides", () => {
    expect(
      mergeFlags(
        { json: true, model: "a", image: ["1.png"], skipGitRepoCheck: true },
        { model: "b", image: ["2.png"], json: undefined },
      ),
    ).toEqual({ json: true, model: "b", image: ["1.png", "2.png"], skipGitRepoCheck: true });
  });
});
