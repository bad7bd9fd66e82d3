import { describe, expect, it } from "vitest";
import { CliError } from "../cli-error.js";
import { resolvePrompt } from "./prompt-input.js";

function stdin(text: string, isTTY = false) {
  let reads = 0;
  return {
    isTTY,
    readAll: async () => {
      reads++;
      return text;
    },
    reads: () => reads,
  };
}

async function resolve(
  prompt: string | undefined,
  input: ReturnType<typeof stdin>,
  mode: "new" | "resume" = "new",
) {
  const notices: string[] = [];
  const result = await resolvePrompt({
    prompt,
    stdin: input,
    mode,
    notify: (l) => notices.push(l),
  });
  return { result, notices };
}

describe("resolvePrompt", () => {
  it("takes the argument; piped stdin is appended as a <stdin> block", async () => {
    expect(await resolve("p", stdin(""))).toEqual({
      result: "p",
      notices: ["Reading additional input from stdin..."],
    });
    expect((await resolve("p", stdin("a\nb"))).result).toBe("p\n\n<stdin>\na\nb\n</stdin>");
    expect((await resolve("p", stdin("a\n"))).result).toBe("p\n\n<stdin>\na\n</stdin>");
  });

  it("never reads a terminal when an argument is given, nor stdin on resume", async () => {
    const tty = stdin("x", true);
    expect(await resolve("p", tty)).toEqual({ result: "p", notices: [] });
    const piped = stdin("x");
    expect(await resolve("p", piped, "resume")).toEqual({ result: "p", notices: [] });
    expect(tty.reads() + piped.reads()).toBe(0);
  });

  it("reads stdin verbatim without an argument (with a notice) or with - (without)", async () => {
    expect(await resolve(undefined, stdin("  hi\n\n"))).toEqual({
      result: "  hi\n\n",
      notices: ["Reading prompt from stdin..."],
    });
    expect(await resolve("-", stdin("hi"))).toEqual({ result: "hi", notices: [] });
    expect(await resolve(undefined, stdin("hi"), "resume")).toMatchObject({ result: "hi" });
  });

  it("refuses an empty or blank stdin and a terminal without a prompt", async () => {
    for (const [prompt, input] of [
      [undefined, stdin("")],
      ["-", stdin(" \n\t")],
    ] as const) {
      await expect(resolve(prompt, input)).rejects.toThrow("No prompt provided via stdin.");
    }
    const error = await resolve(undefined, stdin("", true)).catch((e: unknown) => e);
    expect(CliError.is(error)).toBe(true);
    expect((error as CliError).message).toMatch(/^No prompt provided\. Either specify one/);
  });
});
