#!/usr/bin/env node
// The main job, against the embedded local backend: the whole auth and identity stack end to end
// over real loopback sockets. Device-code login → auth.json (0600) → token refresh with rotation →
// agent identity and task registration → a Responses turn streamed by @codex/model-client,
// authorized by an AgentAssertion that the backend verifies → logout with revoke. Prints no token, key or code.
//
// Run with `pnpm demo` (builds what it needs first). The CODEX_HOME is a temporary folder, removed
// at the end; nothing outside it is touched and nothing leaves 127.0.0.1.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scripts, startFakeBackend } from "@codex/fake-backend";
import { AuthManager } from "@codex/login";
import { createOpenAiProvider, ModelClient, modelAuthFromLogin } from "@codex/model-client";

const step = (title) => console.log(`\n▸ ${title}`);
const show = (label, value) => console.log(`  ${label.padEnd(22)} ${value}`);

const codexHome = await mkdtemp(join(tmpdir(), "codex-demo-"));
const backend = await startFakeBackend({
  account: { email: "ana@example.com", planType: "pro", chatgptAccountId: "ws-demo" },
  deviceAuth: { enabled: true, intervalSeconds: 1, pendingPolls: 1 },
});
try {
  step("Embedded backend (OAuth issuer, ChatGPT backend, OpenAI API) on loopback");
  show("issuer", backend.issuerUrl);
  show("chatgpt base url", backend.chatgptBaseUrl);
  show("CODEX_HOME", codexHome);

  // Everything login needs, given once: the manager is the one way in.
  const manager = await AuthManager.create({
    codexHome,
    env: {},
    issuer: backend.issuerUrl,
    clientId: backend.clientId,
    chatgptBackend: {
      baseUrl: backend.chatgptBaseUrl,
      mode: "enabled", // features.use_agent_identity
      // The upstream allowlist names ChatGPT's hosts only; the embedded backend is on loopback.
      extraAllowedHosts: ["127.0.0.1"],
    },
  });

  step("Device-code login (the embedded issuer approves the code after one poll)");
  const login = await manager.startDeviceCodeLogin();
  show("open", login.verificationUrl);
  show("enter code", `${login.userCode.slice(0, 2)}… (one-time code, not shown in full)`);
  const result = await login.done;
  const auth = await manager.auth();
  show("signed in as", `${result.email} (plan ${result.planType}, account ${result.accountId})`);
  const file = join(codexHome, "auth.json");
  show("auth.json mode", `0${((await stat(file)).mode & 0o777).toString(8)}`);
  show("auth prints as", String(auth));

  step("Token refresh (the issuer rotates the refresh token)");
  await manager.refreshToken();
  const grants = backend.state.tokenGrants.filter((grant) => grant.grantType === "refresh_token");
  show("refresh grants", String(grants.length));

  step("Agent identity: Ed25519 key, registration, background task");
  const task = await manager.agentIdentity().ensureBackgroundTask();
  show("agent runtime id", task.agentRuntimeId);
  show("task id", `${task.taskId} (decrypted from a sealed box)`);

  step("Responses turn through @codex/model-client, authorized by an AgentAssertion");
  backend.enqueue(scripts.text("Hello from the embedded backend."));
  const client = new ModelClient({
    provider: createOpenAiProvider(`${backend.chatgptBaseUrl}/codex`),
    chatgptBaseUrl: backend.chatgptBaseUrl,
    auth: modelAuthFromLogin(manager),
    sessionId: randomUUID(),
    threadId: randomUUID(),
    installationId: randomUUID(),
    websockets: false,
    env: {},
  });
  let text = "";
  const turn = client.newSession();
  try {
    const input = [
      { type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] },
    ];
    for await (const event of turn.stream({ input }, { model: "gpt-demo" })) {
      if (event.type === "output_text_delta") text += event.delta;
    }
  } finally {
    turn.close();
    client.close();
  }
  const sent = backend.state.lastRequest("codex.responses");
  show("authorization scheme", sent?.authScheme ?? "(none)");
  show("chatgpt-account-id", sent?.chatgptAccountId ?? "(omitted with an assertion)");
  show("streamed text", JSON.stringify(text));
  show("assertion verified", String(sent?.assertion?.verified));

  step("Logout with revoke");
  const out = await manager.logout({ revoke: true });
  show("revoke", out.revoke);
  show("auth.json removed", String(out.removed));
  console.log("\nDemo complete.");
} finally {
  await backend.close();
  await rm(codexHome, { recursive: true, force: true });
}
