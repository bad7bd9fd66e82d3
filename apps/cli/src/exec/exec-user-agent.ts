import { arch, release, type } from "node:os";

/** The terminal named in the user agent: `TERM_PROGRAM[/version]`, else `TERM`, else `unknown`. */
export function terminalName(env: NodeJS.ProcessEnv): string {
  const program = env.TERM_PROGRAM;
  if (program !== undefined && program !== "") {
    const version = env.TERM_PROGRAM_VERSION;
    return version !== undefined && version !== "" ? `${program}/${version}` : program;
  }
  const term = env.TERM;
  return term !== undefined && term !== "" ? term : "unknown";
}

/**
 * The `User-Agent` of exec's model requests, in 0.169's shape:
 * `codex_exec/0.169.0 (Linux 6.1.0; x86_64) unknown (codex_exec; 0.169.0)`. Anything outside
 * printable ASCII is dropped so the header is always legal.
 */
export function execUserAgent(originator: string, version: string, env: NodeJS.ProcessEnv): string {
  const machine = arch() === "x64" ? "x86_64" : arch() === "arm64" ? "aarch64" : arch();
  const text = `${originator}/${version} (${type()} ${release()}; ${machine}) ${terminalName(env)} (${originator}; ${version})`;
  return text.replace(/[^\x20-\x7e]/g, "");
}
