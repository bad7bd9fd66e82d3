import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** $CODEX_HOME when set and non-empty, else ~/.codex (absolute). */
export function resolveCliCodexHome(env: NodeJS.ProcessEnv): string {
  const fromEnv = env.CODEX_HOME;
  if (fromEnv !== undefined && fromEnv !== "") return resolve(fromEnv);
  return join(env.HOME && env.HOME !== "" ? env.HOME : homedir(), ".codex");
}
