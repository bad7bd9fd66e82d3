// Runnable example of the @codex/login core against the built package:
//   pnpm --filter @codex/login build && node packages/login/examples/auth-manager.mjs
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { AuthManager, isLoginError } from "@codex/login";
import { ChatGptAuthFixture, encodeAccessToken } from "@codex/login/testing";

const codexHome = mkdtempSync(join(tmpdir(), "codex-example-"));
try {
  // 1. An API-key login, written like upstream codex writes it (0600 file in a 0700 directory).
  const manager = await AuthManager.create({ codexHome, env: {} });
  manager.subscribe((auth) => console.log("auth state ->", auth?.apiAuthMode ?? "logged out"));
  await manager.loginWithApiKey("sk-example-not-a-real-key");
  console.log(
    "auth.json:",
    readFileSync(join(codexHome, "auth.json"), "utf8").replace(/sk-[^"]+/, "sk-…"),
  );
  console.log("inspect never shows secrets:", inspect(await manager.auth()));

  // 2. A ChatGPT login written by another program (fake tokens from the ./testing fixture
  //    builder), so the manager is told to reload; its own logins never need that.
  await new ChatGptAuthFixture(encodeAccessToken({ exp: Math.floor(Date.now() / 1000) + 3600 }))
    .accountId("ws-example")
    .chatgptAccountId("ws-example")
    .email("dev@example.com")
    .planType("pro")
    .write(codexHome);
  await manager.reload();
  const auth = await manager.auth();
  console.log(
    "mode:",
    auth?.apiAuthMode,
    "account:",
    auth?.getAccountId(),
    "plan:",
    auth?.accountPlanType(),
  );
  const recovery = manager.unauthorizedRecovery();
  console.log("on a 401:", recovery.modeName(), "recovery, first step", recovery.stepName());

  // 3. Typed errors: callers switch on `code`.
  try {
    await manager.loginWithChatgptAuthTokens("not-a-jwt", "ws-example");
  } catch (err) {
    if (isLoginError(err)) console.log("LoginError code:", err.code);
  }
  console.log("logged out:", (await manager.logout()).removed);
} finally {
  rmSync(codexHome, { recursive: true, force: true });
}
