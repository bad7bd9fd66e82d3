// Child process of the cross-process refresh test: N forced refreshes against one CODEX_HOME.
// Usage: node test/.workers/test/support/refresh-worker.js <codexHome> <refreshUrl> <count>
// (compiled by build-workers.global.ts)
import { createHttpClient } from "@codex/http";
import { AuthManager } from "../../src/auth-manager.js";
import { LoginError } from "../../src/errors.js";

const [codexHome, refreshTokenUrl, countText] = process.argv.slice(2);
const manager = await AuthManager.create({
  codexHome: codexHome as string,
  refreshTokenUrl: refreshTokenUrl as string,
  http: createHttpClient(),
  env: {},
});
const errors: string[] = [];
let ok = 0;
for (let i = 0; i < Number(countText); i++) {
  try {
    await manager.refreshToken();
    ok++;
  } catch (err) {
    errors.push(err instanceof LoginError ? err.code : "unexpected");
  }
}
process.stdout.write(JSON.stringify({ ok, errors }));
