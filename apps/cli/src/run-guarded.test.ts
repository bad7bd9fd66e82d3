import { expect, it } from "vitest";
import { memoryContext } from "../test/support/memory-context.js";
import { CliError } from "./cli-error.js";
import { runGuarded } from "./run-guarded.js";

it("returns the body's exit code", async () => {
  expect(await runGuarded(memoryContext(), async () => 3)).toBe(3);
});

it("prints a CliError as its one line, with its exit code", async () => {
  const ctx = memoryContext();
  expect(
    await runGuarded(ctx, async () =>
      Promise.reject(new CliError("usage", "bad flag", { exitCode: 2 })),
    ),
  ).toBe(2);
  expect(ctx.err()).toBe("bad flag\n");
});

it("prints anything else as one line plus a hint, the stack only with CODEX_DEBUG=1", async () => {
  const quiet = memoryContext();
  expect(await runGuarded(quiet, async () => Promise.reject(new Error("boom")))).toBe(1);
  expect(quiet.err()).toBe("Error: boom\nRun again with CODEX_DEBUG=1 to see where it failed.\n");
  const debug = memoryContext({ CODEX_DEBUG: "1" });
  await runGuarded(debug, async () => Promise.reject(new Error("boom")));
  expect(debug.err()).toMatch(/^Error: boom\nError: boom\n\s+at /);
});

it("maps commander's own exits: help/version 0, usage errors 2", async () => {
  const commander = (exitCode: number) =>
    Object.assign(new Error("x"), { code: "commander.x", exitCode });
  expect(await runGuarded(memoryContext(), async () => Promise.reject(commander(0)))).toBe(0);
  expect(await runGuarded(memoryContext(), async () => Promise.reject(commander(1)))).toBe(2);
});
