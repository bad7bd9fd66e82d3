import { PassThrough, Writable } from "node:stream";
import type { CliContext } from "../../src/cli-context.js";

/** A CliContext whose streams are in memory, for unit tests of commands and helpers. */
export function memoryContext(
  env: NodeJS.ProcessEnv = {},
): CliContext & { out(): string; err(): string } {
  let out = "";
  let err = "";
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _enc, done) {
        append(chunk.toString("utf8"));
        done();
      },
    });
  return {
    env,
    stdin: new PassThrough(),
    stdout: sink((s) => {
      out += s;
    }),
    stderr: sink((s) => {
      err += s;
    }),
    signal: new AbortController().signal,
    exit: { code: 0 },
    out: () => out,
    err: () => err,
  };
}
