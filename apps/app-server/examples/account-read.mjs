// Starts the built codex-app-server, initializes, reads the account and exits.
// Run: pnpm --filter @codex/app-server build && node apps/app-server/examples/account-read.mjs
import { spawn } from "node:child_process";
import { createClientPeer } from "@codex/app-server-protocol";

const child = spawn(process.execPath, [new URL("../dist/bin.js", import.meta.url).pathname], {
  stdio: ["pipe", "pipe", "inherit"],
});
const client = createClientPeer({
  input: child.stdout,
  output: child.stdin,
  requestTimeoutMs: 10_000,
  handlers: { "attestation/generate": () => ({ token: "v1.example" }) },
  onNotification: (n) => console.log("notification", n.method),
});
const init = await client.request("initialize", {
  clientInfo: { name: "example_client", version: "0.0.1" },
  capabilities: { requestAttestation: true },
});
console.log(init.userAgent);
console.log(await client.request("account/read", { refreshToken: false }));
child.stdin.end();
