import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FakeBackend } from "@codex/fake-backend";
import { AppServerClient } from "./app-server-client.js";
import type { TempCodexHome } from "./codex-harness.js";

/**
 * A ChatGPT login made by the real codex: `codex app-server`, `account/login/start
 * {type:"chatgptDeviceCode"}` against the fake issuer (`CODEX_APP_SERVER_LOGIN_ISSUER`), waits
 * for `account/login/completed`. auth.json (with `oauth_provenance` naming the fake issuer) is
 * committed before the workspace routing discovery, which fails on today's fake backend
 * (`/wham/accounts/check` is 404), so the completion reports `success: false`.
 * Writes `config.toml` with only `chatgpt_base_url` (the fake backend's).
 */
export async function upstreamDeviceLogin(
  codex: string,
  home: TempCodexHome,
  backend: FakeBackend,
): Promise<{ readonly userCode: unknown; readonly completed: unknown }> {
  await writeFile(
    join(home.home, "config.toml"),
    `chatgpt_base_url = ${JSON.stringify(backend.chatgptBaseUrl)}\n`,
  );
  const client = await AppServerClient.start(codex, home, {
    CODEX_APP_SERVER_LOGIN_ISSUER: backend.issuerUrl,
  });
  try {
    const started = (await client.request("account/login/start", {
      type: "chatgptDeviceCode",
    })) as { userCode?: unknown };
    const completed = await client.waitForNotification("account/login/completed", 60_000);
    return { userCode: started.userCode, completed };
  } finally {
    await client.close();
  }
}
