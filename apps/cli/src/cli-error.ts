/** What went wrong, as a literal union callers switch on. */
export type CliErrorCode =
  | "usage" // bad flags or arguments
  | "config" // config.toml or a -c override is invalid
  | "unavailable" // a command this build does not have yet
  | "failed"; // the command ran and failed (message says why)

/**
 * The one error class of the CLI. `message` is the one line printed to stderr (it says what went
 * wrong and what to do; it never holds a secret). `exitCode` is the process exit code.
 */
export class CliError extends Error {
  override readonly name = "CliError";
  readonly code: CliErrorCode;
  readonly exitCode: number;

  constructor(
    code: CliErrorCode,
    message: string,
    options?: { exitCode?: number; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.exitCode = options?.exitCode ?? 1;
  }

  static is(x: unknown): x is CliError {
    return (
      x instanceof Error && x.name === "CliError" && typeof (x as CliError).exitCode === "number"
    );
  }
}
