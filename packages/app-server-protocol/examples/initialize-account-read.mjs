// Two peers over a PassThrough pair: initialize, initialized, account/read, a server
// notification and a server → client request (attestation/generate).
// Run after building: node examples/initialize-account-read.mjs
import { PassThrough } from "node:stream";
import { attestationValue, createClientPeer, createServerPeer } from "@codex/app-server-protocol";

const clientToServer = new PassThrough();
const serverToClient = new PassThrough();

const server = createServerPeer({
  input: clientToServer,
  output: serverToClient,
  handlers: {
    initialize: (params) => ({
      userAgent: `${params.clientInfo.name}/0.1.0`,
      platformFamily: "unix",
      platformOs: process.platform,
      codexHome: "/home/u/.codex",
    }),
    "account/read": () => ({ account: { type: "apiKey" }, requiresOpenaiAuth: true }),
  },
  onNotification: (n) => console.log("server got notification:", n.method),
});

const client = createClientPeer({
  input: serverToClient,
  output: clientToServer,
  requestTimeoutMs: 5_000,
  handlers: {
    "attestation/generate": () => ({ token: "v1.b3BhcXVl" }),
  },
  onNotification: (n) =>
    console.log("client got notification:", n.method, JSON.stringify(n.params)),
});

const init = await client.request("initialize", {
  clientInfo: { name: "acme_desktop", title: "Acme", version: "1.2.0" },
  capabilities: { requestAttestation: true },
});
console.log("initialize ->", init);
client.notify("initialized");

const account = await client.request("account/read", { refreshToken: false });
console.log("account/read ->", account);

server.notify("account/updated", { authMode: "apikey", planType: null });
const attestation = await server.request("attestation/generate", {}, { timeoutMs: 100 });
console.log("attestation/generate ->", attestationValue(attestation));

client.close();
await server.whenClosed;
console.log("closed");
