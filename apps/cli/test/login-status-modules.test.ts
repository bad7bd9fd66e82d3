// `codex login status` must load no HTTP or crypto code: the built binary is run with a preload
// that records every module it resolves and every Node built-in it loads.
import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, expect, it } from "vitest";
import { CODEX_BIN, cliEnv, tempHome } from "./support/run-codex.js";

const PRELOAD = fileURLToPath(new URL("./support/record-imports.mjs", import.meta.url));

/** Module URLs and built-ins that mean HTTP or crypto code was loaded. */
const FORBIDDEN = [
  /\/packages\/http\//,
  /\/packages\/login\//,
  /\/packages\/agent-identity\//,
  /\/packages\/model-client\//,
  /node_modules\/.*(undici|koffi|@napi-rs|@noble)/,
  /^node:(crypto|http|https|http2|tls)$/,
  /^builtin:(crypto|http|https|http2|tls|internal\/deps\/undici\/undici)$/,
];

let home: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ home, cleanup } = await tempHome());
});
afterEach(async () => {
  await cleanup();
});

async function loaded(
  args: string[],
): Promise<{ code: number | null; stderr: string; modules: string[] }> {
  const file = join(home, "imports.txt");
  await writeFile(file, "");
  const r = spawnSync(process.execPath, ["--import", PRELOAD, CODEX_BIN, ...args], {
    env: cliEnv(home, { CODEX_TEST_IMPORTS_FILE: file }),
    encoding: "utf8",
  });
  const modules = (await readFile(file, "utf8")).split("\n").filter((l) => l !== "");
  return { code: r.status, stderr: r.stderr, modules };
}

it.each([
  ["no auth.json", undefined, "Not logged in\n"],
  [
    "an API key",
    '{"auth_mode":"apikey","OPENAI_API_KEY":"sk-test-abcdefghijk12345"}',
    "API key configured",
  ],
  ["a corrupt file", '{"auth_mode":', "Error checking login status"],
  ["a config.toml", undefined, "Not logged in\n"],
])("login status with %s loads no HTTP or crypto module", async (name, auth, expected) => {
  if (auth !== undefined) await writeFile(join(home, "auth.json"), auth);
  if (name === "a config.toml") await writeFile(join(home, "config.toml"), 'model = "gpt-5"\n');
  const { stderr, modules } = await loaded(["login", "status"]);
  expect(stderr).toContain(expected);
  // the probe works: our own modules and the built-ins were recorded
  expect(modules.some((m) => m.endsWith("/dist/login/run-login-status.js"))).toBe(true);
  expect(modules.some((m) => m.startsWith("builtin:"))).toBe(true);
  expect(modules.filter((m) => FORBIDDEN.some((re) => re.test(m)))).toEqual([]);
});

it("the probe sees HTTP code when a command does load it (logout)", async () => {
  const { modules } = await loaded(["logout"]);
  expect(modules.some((m) => /\/packages\/login\//.test(m))).toBe(true);
});
