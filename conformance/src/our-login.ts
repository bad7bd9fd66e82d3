import type { AuthDotJson, AuthStorage } from "@codex/login";
import { AuthManager } from "@codex/login";
import { ChatGptAuthFixture } from "@codex/login/testing";
import type { TempCodexHome } from "./codex-harness.js";

/** The file store of our `@codex/login` for a temporary home, reached the way an app reaches it. */
export async function ourFileStore(home: TempCodexHome): Promise<AuthStorage> {
  const manager = await AuthManager.create({ codexHome: home.home, storeMode: "file", env: {} });
  return manager.storage;
}

/** Tokens as the fake backend issues them, plus the account the id token should name. */
export interface ChatgptTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly account: {
    readonly chatgptAccountId: string;
    readonly email?: string;
    readonly planType?: string;
  };
}

/** A ChatGPT `AuthDotJson` for our store, built by login's own testing fixture. */
export function chatgptAuth(tokens: ChatgptTokens): AuthDotJson {
  const fixture = new ChatGptAuthFixture(tokens.accessToken)
    .refreshToken(tokens.refreshToken)
    .accountId(tokens.account.chatgptAccountId)
    .chatgptAccountId(tokens.account.chatgptAccountId);
  if (tokens.account.email !== undefined) fixture.email(tokens.account.email);
  if (tokens.account.planType !== undefined) fixture.planType(tokens.account.planType);
  return fixture.build();
}
