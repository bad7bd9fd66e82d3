#!/usr/bin/env node
// The main job, against the embedded local backend (@codex/fake-backend on 127.0.0.1): the real
// binaries (`codex`, `codex app-server`) walk through the whole stack in a temporary home, and
// after each step the demo prints what the backend itself verified.
//
//   1. API-key login (`codex login --with-api-key`, key on stdin) → `codex exec`
//   2. ChatGPT browser login (`codex login`; the demo plays the browser)
//   3. agent identity + task registration → `codex exec` with an AgentAssertion the backend verified
//   4. an app-server session whose client advertises `requestAttestation` and answers
//      `attestation/generate`: the backend saw the envelope header
//   5. external-token mode: a 401 answered through `account/chatgptAuthTokens/refresh`
//   6. `codex logout`: the refresh token revoked at the issuer, credentials removed
//
// Ends with a summary table and a non-zero exit when any step failed. Prints no token or key.
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scripts, startFakeBackend } from "@codex/fake-backend";
import { AppServerSession } from "./app-server-session.mjs";
import { findAuthorizeUrl, playBrowser } from "./browser.mjs";
import { runCodex, spawnCodex } from "./codex-process.mjs";
import { Transcript } from "./transcript.mjs";

const API_KEY = "sk-demo-0123456789abcdefABCDEF";
// The workspace routing 0.169's app-server discovers for ChatGPT accounts (`/wham/accounts/check`):
// an https origin is required; turns keep going to the configured base URL.
const ACCOUNT = {
  email: "ana@example.com",
  planType: "pro",
  chatgptAccountId: "ws-demo",
  workspaceBackendOrigin: "https://127.0.0.1",
};

const transcript = new Transcript();
const root = await mkdtemp(join(tmpdir(), "codex-demo-"));
const backend = await startFakeBackend({ account: ACCOUNT });
// Refresh and revoke go to the embedded issuer too (upstream's override variables), so nothing
// leaves 127.0.0.1; the browser login is pointed at it with upstream's hidden `--experimental_issuer`.
const home = {
  home: root,
  codexHome: join(root, ".codex"),
  workdir: join(root, "work"),
  env: {
    CODEX_REFRESH_TOKEN_URL_OVERRIDE: `${backend.issuerUrl}/oauth/token`,
    CODEX_REVOKE_TOKEN_URL_OVERRIDE: `${backend.issuerUrl}/oauth/revoke`,
  },
};
await mkdir(home.codexHome, { recursive: true });
await mkdir(home.workdir, { recursive: true });
const authFile = join(home.codexHome, "auth.json");

// The ChatGPT Codex backend of this demo is the embedded one; agent identity may address it
// because `agent_identity_allowed_hosts` names loopback (upstream's list has ChatGPT's hosts only).
await writeFile(
  join(home.codexHome, "config.toml"),
  [
    `model = "gpt-demo"`,
    `model_provider = "demo"`,
    `chatgpt_base_url = ${JSON.stringify(backend.chatgptBaseUrl)}`,
    `agent_identity_allowed_hosts = ["127.0.0.1"]`,
    "",
    "[model_providers.demo]",
    `name = "demo"`,
    `base_url = ${JSON.stringify(`${backend.chatgptBaseUrl}/codex`)}`,
    `wire_api = "responses"`,
    "requires_openai_auth = true",
    "supports_websockets = false",
    "",
  ].join("\n"),
);

const fileMode = async (path) => `0${((await stat(path)).mode & 0o777).toString(8)}`;
const exists = (path) =>
  stat(path).then(
    () => true,
    () => false,
  );
const lastLine = (text) => text.trim().split("\n").at(-1) ?? "";

async function apiKeyLoginAndExec() {
  const login = await runCodex(home, ["login", "--with-api-key"], { input: `${API_KEY}\n` });
  transcript.show("login", lastLine(login.stderr));
  transcript.check("login exit code 0", login.code === 0);
  transcript.check("auth.json written 0600", (await fileMode(authFile)) === "0600");
  const status = await runCodex(home, ["login", "status"]);
  transcript.show("login status", status.stderr.split("\n")[0]);
  transcript.check(
    "status shows a masked key",
    /API key configured - sk-demo-\*{3}/.test(status.stderr),
  );

  backend.enqueue(scripts.text("Hello from the embedded backend, over an API key."));
  const exec = await runCodex(home, [
    "exec",
    "--skip-git-repo-check",
    "-c",
    'model_provider="openai"',
    "-c",
    `openai_base_url=${JSON.stringify(backend.openaiBaseUrl)}`,
    "Say hello.",
  ]);
  transcript.show("answer (stdout)", JSON.stringify(exec.stdout.trim()));
  const sent = backend.state.lastRequest("openai.responses");
  transcript.check(
    "exec exit code 0",
    exec.code === 0,
    exec.code === 0 ? "" : lastLine(exec.stderr),
  );
  transcript.check(
    "backend accepted the API key",
    sent?.bearer?.kind === "api_key" && sent.bearer.valid,
  );
  transcript.check(
    "no attestation under an API key",
    sent !== undefined && sent.attestation === undefined,
  );
}

async function browserLogin() {
  const child = spawnCodex(home, [
    "login",
    "--experimental_issuer",
    backend.issuerUrl,
    "--experimental_port",
    "0",
  ]);
  let output = "";
  const exited = new Promise((resolve) => child.on("close", (code) => resolve(code)));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("codex login printed no authorize URL")),
      30_000,
    );
    const read = (chunk) => {
      output += chunk;
      const found = findAuthorizeUrl(output);
      if (found !== undefined) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout.setEncoding("utf8").on("data", read);
    child.stderr.setEncoding("utf8").on("data", read);
    child.stdin.end();
  });
  transcript.show("authorize URL", `${url.slice(0, url.indexOf("?"))}?… (PKCE S256, state)`);
  const landing = await playBrowser(url);
  const code = await exited;
  transcript.show("browser landed on", `HTTP ${landing}`);
  transcript.check("login exit code 0", code === 0, code === 0 ? "" : lastLine(output));
  const grant = backend.state.tokenGrants.find((g) => g.grantType === "authorization_code");
  transcript.check("issuer redeemed the code once (PKCE checked)", grant?.outcome === "ok");
  const saved = JSON.parse(await readFile(authFile, "utf8"));
  transcript.check(
    "auth.json holds ChatGPT tokens",
    saved.tokens?.account_id === ACCOUNT.chatgptAccountId,
  );
  const status = await runCodex(home, ["login", "status"]);
  transcript.check(
    "codex login status: Logged in using ChatGPT",
    /Logged in using ChatGPT/.test(status.stderr),
  );
}

async function agentIdentityExec() {
  backend.enqueue(scripts.text("Hello, agent."));
  const exec = await runCodex(home, [
    "exec",
    "--skip-git-repo-check",
    "-c",
    "features.use_agent_identity=true",
    "Who am I talking to?",
  ]);
  transcript.show("answer (stdout)", JSON.stringify(exec.stdout.trim()));
  transcript.check(
    "exec exit code 0",
    exec.code === 0,
    exec.code === 0 ? "" : lastLine(exec.stderr),
  );
  const [agent] = backend.state.agents.values();
  const [task] = backend.state.tasks.values();
  transcript.show("agent runtime id", agent?.agentRuntimeId ?? "(none)");
  transcript.check(
    "agent registered with an Ed25519 key",
    agent?.publicKeySsh.startsWith("ssh-ed25519 "),
  );
  transcript.check(
    "task registered with a verified signature",
    task?.agentRuntimeId === agent?.agentRuntimeId,
  );
  const sent = backend.state.lastRequest("codex.responses");
  transcript.check(
    "Responses call carried an AgentAssertion",
    sent?.authScheme === "agent-assertion",
  );
  transcript.check("backend verified the assertion", sent?.assertion?.verified === true);
  transcript.check(
    "no chatgpt-account-id beside it",
    sent !== undefined && sent.chatgptAccountId === undefined,
  );
}

/** The app-server child of steps 4 and 5 (one connection, as an IDE keeps it). */
let session;

async function appServerTurnWithAttestation() {
  session = new AppServerSession(home, {
    refreshTokens: () => ({
      accessToken: backend.issueTokens().accessToken,
      chatgptAccountId: ACCOUNT.chatgptAccountId,
      chatgptPlanType: ACCOUNT.planType,
    }),
  });
  const init = await session.request("initialize", {
    clientInfo: { name: "codex_demo", title: "Codex demo", version: "1.0.0" },
    capabilities: { requestAttestation: true, experimentalApi: true },
  });
  session.notify("initialized");
  transcript.show("userAgent", init.userAgent);
  await session.request("account/login/start", {
    type: "chatgptAuthTokens",
    accessToken: backend.issueTokens().accessToken,
    chatgptAccountId: ACCOUNT.chatgptAccountId,
    chatgptPlanType: ACCOUNT.planType,
  });
  const completed = await session.waitFor((n) => n.method === "account/login/completed");
  transcript.check(
    "external tokens accepted (account/login/completed)",
    completed.params.success === true,
  );
  const { account } = await session.request("account/read", {});
  transcript.show("account", `${account?.type} ${account?.email ?? ""}`);

  const { thread } = await session.request("thread/start", {});
  session.threadId = thread.id;
  transcript.show("thread", thread.id);
  backend.enqueue(scripts.text("Hello, IDE."));
  const before = session.notifications.length;
  await session.request("turn/start", {
    threadId: thread.id,
    input: [{ type: "text", text: "hi", text_elements: [] }],
  });
  const done = await session.waitFor((n) => n.method === "turn/completed", { from: before });
  transcript.check("turn completed", done.params.turn.status === "completed");
  const sent = backend.state.lastRequest("codex.responses");
  transcript.show("x-oai-attestation", sent?.attestation ?? "(none)");
  transcript.check(
    "backend saw the attestation envelope",
    sent?.attestation === JSON.stringify({ v: 1, s: 0, t: session.attestations.at(-1) }),
  );
}

async function appServerUnauthorizedRefresh() {
  if (session?.threadId === undefined)
    throw new Error("no app-server thread: the previous step failed");
  backend.enqueue(scripts.unauthorized(), scripts.text("Hello again, with fresh tokens."));
  const calls = backend.state.requestsTo("codex.responses").length;
  const attested = session.attestations.length;
  const from = session.notifications.length;
  await session.request("turn/start", {
    threadId: session.threadId,
    input: [{ type: "text", text: "again", text_elements: [] }],
  });
  const again = await session.waitFor((n) => n.method === "turn/completed", { from });
  const [refusal, retry] = backend.state.requestsTo("codex.responses").slice(calls);
  transcript.show("refresh asked", JSON.stringify(session.refreshRequests.at(-1) ?? null));
  transcript.check("backend refused the first send with 401", refusal?.status === 401);
  transcript.check(
    "server asked the client for tokens (reason unauthorized)",
    session.refreshRequests.at(-1)?.reason === "unauthorized",
  );
  transcript.check(
    "retry carried the new token, accepted",
    retry?.bearer?.valid === true && retry.status === 200,
  );
  transcript.check(
    "each send attested (2 sends, 2 tokens)",
    session.attestations.length - attested === 2,
  );
  transcript.check("turn completed", again.params.turn.status === "completed");
}

async function logoutWithRevoke() {
  const revokedBefore = backend.state.revocations.length;
  const logout = await runCodex(home, ["logout"]);
  transcript.show("logout", lastLine(logout.stderr));
  transcript.check("logout exit code 0", logout.code === 0);
  const revoked = backend.state.revocations.slice(revokedBefore);
  transcript.check(
    "issuer revoked the refresh token",
    revoked.some((r) => r.matched === "refresh_token"),
  );
  transcript.check("auth.json removed", !(await exists(authFile)));
}

const STEPS = [
  ["API-key login → codex exec", apiKeyLoginAndExec],
  ["ChatGPT browser login (the demo plays the browser)", browserLogin],
  ["Agent identity → codex exec with an AgentAssertion", agentIdentityExec],
  ["App-server: requestAttestation, external tokens, a turn", appServerTurnWithAttestation],
  [
    "External tokens: a 401 answered by account/chatgptAuthTokens/refresh",
    appServerUnauthorizedRefresh,
  ],
  ["codex logout: revoke, then remove", logoutWithRevoke],
];

try {
  console.log("Codex auth & identity demo: the real codex binaries against the embedded backend");
  console.log(`  backend  ${backend.url}   home  ${home.codexHome}`);
  for (const [title, run] of STEPS) {
    transcript.step(title);
    try {
      await run();
    } catch (error) {
      transcript.fail(error);
    }
  }
} finally {
  await session?.close();
  await backend.close();
  await rm(root, { recursive: true, force: true });
}
const passed = transcript.summary();
console.log(
  passed ? "\nDemo complete: every step verified." : "\nDemo failed: see the steps marked FAILED.",
);
process.exitCode = passed ? 0 : 1;
