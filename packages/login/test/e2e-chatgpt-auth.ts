// Builds a real CodexAuth backed by a real file store in a temp CODEX_HOME (upstream tests'
// `make_chatgpt_auth`): ChatGPT tokens for an account and optional user.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Secret } from "@codex/wire";
import type { AuthDotJson } from "../src/auth-dot-json.js";
import { CodexAuth } from "../src/codex-auth.js";
import { parseIdToken } from "../src/id-token.js";
import { createAuthStorage } from "../src/storage/create-auth-storage.js";
import { encodeJwt } from "../src/testing/index.js";
import { registerSecret } from "./support/capture.js";

/** The fake id token upstream's tests encode. */
export function fakeIdToken(
  accountId: string,
  userId: string | undefined,
  account: AccountClaims = {},
): string {
  return encodeJwt({
    ...(account.email !== undefined ? { email: account.email } : {}),
    "https://api.openai.com/auth": {
      chatgpt_user_id: userId ?? null,
      chatgpt_account_id: accountId,
      ...(account.planType !== undefined ? { chatgpt_plan_type: account.planType } : {}),
      ...(account.fedramp !== undefined ? { chatgpt_account_is_fedramp: account.fedramp } : {}),
    },
  });
}

/** Optional id-token claims of the account (what a 0.169 agent identity record copies). */
export interface AccountClaims {
  readonly email?: string;
  readonly planType?: string;
  readonly fedramp?: boolean;
}

/** A managed ChatGPT auth saved to `<tmp>/auth.json` and loaded back with its store. */
export async function makeChatgptAuth(
  accountId: string,
  userId: string | undefined,
  home?: string,
  account: AccountClaims = {},
): Promise<{ auth: CodexAuth; home: string }> {
  const codexHome = home ?? (await mkdtemp(join(tmpdir(), "codex-agent-auth-")));
  const storage = createAuthStorage({ codexHome, mode: "file" });
  const authJson: AuthDotJson = {
    authMode: "chatgpt",
    openaiApiKey: null,
    tokens: {
      idToken: parseIdToken(fakeIdToken(accountId, userId, account)),
      accessToken: new Secret(registerSecret(`access-token-${accountId}`)),
      refreshToken: new Secret("refresh-token"),
      accountId,
    },
    lastRefresh: "2026-04-20T08:00:00Z",
  };
  await storage.save(authJson);
  const loaded = await storage.load();
  if (loaded === undefined) throw new Error("auth.json was not written");
  return { auth: CodexAuth.fromAuthDotJson(loaded, storage), home: codexHome };
}

/** Reads auth.json of a home back as JSON. */
export async function readAuthJson(home: string): Promise<Record<string, unknown>> {
  const { readFile } = await import("node:fs/promises");
  return JSON.parse(await readFile(join(home, "auth.json"), "utf8"));
}
