import { afterEach, expect, it, vi } from "vitest";
import { appServerLogger } from "./app-server-logger.js";

afterEach(() => {
  vi.restoreAllMocks();
});

/** The levels a logger built from `env` writes to stderr. */
function writtenLevels(env: NodeJS.ProcessEnv): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  const logger = appServerLogger(env);
  logger.debug("d");
  logger.info("i");
  logger.warn("w");
  logger.error("e");
  vi.restoreAllMocks();
  return lines.map((line) => (JSON.parse(line) as { level: string }).level);
}

it.each([
  [{}, ["warn", "error"]],
  [{ CODEX_APP_SERVER_LOG: "debug" }, ["debug", "info", "warn", "error"]],
  [{ CODEX_APP_SERVER_LOG: "error" }, ["error"]],
  [{ CODEX_APP_SERVER_LOG: "loud" }, ["warn", "error"]],
])("CODEX_APP_SERVER_LOG %j writes %j to stderr", (env, levels) => {
  expect(writtenLevels(env)).toEqual(levels);
});
