import type { AuthManager } from "@codex/login";
import type { CliContext } from "../cli-context.js";
import { loadCliConfig } from "../config.js";
import { readAllText } from "../read-stdin.js";
import { cliVersion } from "../version.js";
import { createCliAuthManager, type IssuerOverrides, loginErrorText } from "./auth-manager.js";
import { openBrowser } from "./open-browser.js";
import { startSpinner } from "./spinner.js";

export interface RunLoginOptions extends IssuerOverrides {
  readonly withApiKey?: boolean | undefined;
  readonly deviceAuth?: boolean | undefined;
  /** Loopback port of the browser login (default 1455, upstream's). */
  readonly port?: number | undefined;
  readonly overrides: readonly string[];
}

const TTY_STDIN =
  "--with-api-key expects the API key on stdin. Try piping it, e.g. `printenv OPENAI_API_KEY | codex login --with-api-key`.";
const CHATGPT_DISABLED = "ChatGPT login is disabled. Use API key login instead.";
const API_KEY_DISABLED = "API key login is disabled. Use ChatGPT login instead.";

/** `codex login`: `--with-api-key` (stdin), `--device-auth`, else the browser (PKCE). */
export async function runLogin(ctx: CliContext, options: RunLoginOptions): Promise<number> {
  if (options.withApiKey === true) return loginWithApiKey(ctx, options);
  const config = await loadCliConfig(ctx, options.overrides);
  if (config.forcedLoginMethod === "api") {
    ctx.stderr.write(`${CHATGPT_DISABLED}\n`);
    return 1;
  }
  const { isLoginError } = await import("@codex/login");
  try {
    const manager = await createCliAuthManager(ctx, config, options);
    return options.deviceAuth === true
      ? await deviceLogin(ctx, manager)
      : await browserLogin(ctx, manager, options.port);
  } catch (err) {
    if (!isLoginError(err)) throw err;
    if (err.code === "login_cancelled" && ctx.signal.aborted) return 130;
    ctx.stderr.write(`Error logging in: ${loginErrorText(err)}\n`);
    return 1;
  }
}

/** stdin only, never argv: upstream's texts and exit codes. */
async function loginWithApiKey(ctx: CliContext, options: RunLoginOptions): Promise<number> {
  if (ctx.stdin.isTTY === true) {
    ctx.stderr.write(`${TTY_STDIN}\n`);
    return 1;
  }
  ctx.stderr.write("Reading API key from stdin...\n");
  let text: string;
  try {
    text = await readAllText(ctx.stdin);
  } catch (err) {
    ctx.stderr.write(`Failed to read API key from stdin: ${(err as Error).message}\n`);
    return 1;
  }
  const apiKey = text.trim();
  if (apiKey === "") {
    ctx.stderr.write("No API key provided via stdin.\n");
    return 1;
  }
  const config = await loadCliConfig(ctx, options.overrides);
  if (config.forcedLoginMethod === "chatgpt") {
    ctx.stderr.write(`${API_KEY_DISABLED}\n`);
    return 1;
  }
  const { isLoginError } = await import("@codex/login");
  try {
    const manager = await createCliAuthManager(ctx, config);
    await manager.loginWithApiKey(apiKey);
  } catch (err) {
    if (!isLoginError(err)) throw err;
    ctx.stderr.write(`Error logging in: ${loginErrorText(err)}\n`);
    return 1;
  }
  ctx.stderr.write("API key saved. Authentication is checked when you send a request.\n");
  return 0;
}

async function browserLogin(
  ctx: CliContext,
  manager: AuthManager,
  port: number | undefined,
): Promise<number> {
  const server = await manager.startBrowserLogin(
    port === undefined ? {} : { port, fallbackPort: null },
  );
  const onAbort = (): void => server.cancel();
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  if (ctx.signal.aborted) server.cancel();
  openBrowser(server.authUrl, ctx.env);
  ctx.stderr.write(
    `Starting local login server on http://localhost:${server.port}.\n` +
      "If your browser did not open, navigate to this URL to authenticate:\n\n" +
      `${server.authUrl}\n\n` +
      "On a remote or headless machine? Use `codex login --device-auth` instead.\n",
  );
  const stopSpinner = startSpinner(
    ctx.stderr,
    "Waiting for you to sign in in the browser (Ctrl-C cancels)",
  );
  try {
    await server.done;
  } finally {
    stopSpinner();
    ctx.signal.removeEventListener("abort", onAbort);
  }
  ctx.stderr.write("Successfully logged in\n");
  return 0;
}

const grey = (s: string): string => `\x1b[90m${s}\x1b[0m`;
const blue = (s: string): string => `\x1b[94m${s}\x1b[0m`;

async function deviceLogin(ctx: CliContext, manager: AuthManager): Promise<number> {
  const login = await manager.startDeviceCodeLogin({ signal: ctx.signal });
  const version = cliVersion().replace(/^codex-cli /, "");
  ctx.stdout.write(
    [
      "",
      `Welcome to Codex [v${grey(version)}]`,
      grey("OpenAI's command-line coding agent"),
      "",
      "Follow these steps to sign in with ChatGPT using device code authorization:",
      "",
      "1. Open this link in your browser and sign in to your account",
      `   ${blue(login.verificationUrl)}`,
      "",
      `2. Enter this one-time code ${grey("(expires in 15 minutes)")}`,
      `   ${blue(login.userCode)}`,
      "",
      grey(
        "Continue only if you started this login in Codex. If a website or another person gave you this code, cancel.",
      ),
      "",
      "",
    ].join("\n"),
  );
  const stopSpinner = startSpinner(
    ctx.stderr,
    "Waiting for you to enter the code (Ctrl-C cancels)",
  );
  try {
    await login.done;
  } finally {
    stopSpinner();
  }
  ctx.stderr.write("Successfully logged in\n");
  return 0;
}
