// Preloaded with `node --import` by login-status-modules.test.ts: records every module URL the
// program resolves (through a resolve hook that appends to $CODEX_TEST_IMPORTS_FILE before the
// module loads) and, at exit, the Node built-ins it loaded (process.moduleLoadList).
import { appendFileSync } from "node:fs";
import { register } from "node:module";

const file = process.env.CODEX_TEST_IMPORTS_FILE;
if (file) {
  register(new URL("./record-imports-hooks.mjs", import.meta.url), { data: { file } });
  process.on("exit", () => {
    const builtins = process.moduleLoadList
      .filter((name) => name.startsWith("NativeModule "))
      .map((name) => `builtin:${name.slice("NativeModule ".length)}`);
    appendFileSync(file, `${builtins.join("\n")}\n`);
  });
}
