/**
 * `pnpm --filter @codex/agent-identity bench`: throughput of the three hot operations beside the
 * same operation written directly against `node:crypto` (Ed25519 KeyObject made once, X25519 via
 * `crypto.diffieHellman`), measured in the same run, interleaved, median of several rounds.
 */
import * as nodeCrypto from "node:crypto";
import { hsalsa, xsalsa20poly1305 } from "@noble/ciphers/salsa.js";
import { blake2b } from "@noble/hashes/blake2.js";
import {
  authorizationHeaderForAgentTask,
  curve25519SecretKeyFromPrivateKeyPkcs8Base64,
  decryptTaskIdResponse,
  generateAgentKeyMaterial,
  sealTaskIdForPublicKey,
  verifyAgentAssertion,
  verifyingKeyFromPrivateKeyPkcs8Base64,
} from "../src/index.js";
import { type CryptoBackendName, setBackendForTesting } from "../src/internal/crypto-backend.js";

const ROUNDS = 5;
const ROUND_MS = 300;

function opsPerSecond(fn: () => unknown): number {
  const deadline = performance.now() + ROUND_MS;
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 16; i++) fn();
    ops += 16;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Interleaves the two so machine noise hits both alike; returns median ops/s of each. */
function compare(ours: () => unknown, baseline: () => unknown): { ours: number; baseline: number } {
  for (let i = 0; i < 200; i++) {
    ours();
    baseline();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    a.push(opsPerSecond(ours));
    b.push(opsPerSecond(baseline));
  }
  return { ours: median(a), baseline: median(b) };
}

// ---- fixed inputs -------------------------------------------------------------------------
const { privateKeyPkcs8Base64, publicKeySsh } = generateAgentKeyMaterial();
const key = { agentRuntimeId: "agent-123", privateKeyPkcs8Base64 };
const target = { agentRuntimeId: "agent-123", taskId: "task_01HZX9Y8W7V6U5T4S3R2Q1P0NM" };
const header = authorizationHeaderForAgentTask(key, target);
const encryptedTaskId = sealTaskIdForPublicKey(publicKeySsh, target.taskId);

// ---- baselines: node:crypto used directly, keys prepared once -----------------------------
const edPrivate = nodeCrypto.createPrivateKey({
  key: Buffer.from(privateKeyPkcs8Base64.reveal(), "base64"),
  format: "der",
  type: "pkcs8",
});
const edPublic = nodeCrypto.createPublicKey(edPrivate);
const xSecret = curve25519SecretKeyFromPrivateKeyPkcs8Base64(privateKeyPkcs8Base64);
const xPrivate = nodeCrypto.createPrivateKey({
  key: Buffer.concat([Buffer.from("302e020100300506032b656e04220420", "hex"), xSecret]),
  format: "der",
  type: "pkcs8",
});
const xPublicRaw = nodeCrypto
  .createPublicKey(xPrivate)
  .export({ format: "der", type: "spki" })
  .subarray(12);
const X25519_SPKI_PREFIX = Buffer.from("302a300506032b656e032100", "hex");
const SIGMA = new Uint32Array(new TextEncoder().encode("expand 32-byte k").buffer);

function baselineHeader(): string {
  const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const payload = Buffer.from(`${target.agentRuntimeId}:${target.taskId}:${timestamp}`);
  const signature = nodeCrypto.sign(null, payload, edPrivate).toString("base64");
  const json = JSON.stringify({
    agent_runtime_id: target.agentRuntimeId,
    signature,
    task_id: target.taskId,
    timestamp,
  });
  return `AgentAssertion ${Buffer.from(json).toString("base64url")}`;
}

function baselineVerify(): boolean {
  const envelope = JSON.parse(
    Buffer.from(header.slice("AgentAssertion ".length), "base64url").toString("utf8"),
  ) as { agent_runtime_id: string; signature: string; task_id: string; timestamp: string };
  const payload = Buffer.from(
    `${envelope.agent_runtime_id}:${envelope.task_id}:${envelope.timestamp}`,
  );
  return nodeCrypto.verify(null, payload, edPublic, Buffer.from(envelope.signature, "base64"));
}

function baselineDecrypt(): string {
  const sealed = Buffer.from(encryptedTaskId, "base64");
  const ephemeral = sealed.subarray(0, 32);
  const shared = nodeCrypto.diffieHellman({
    privateKey: xPrivate,
    publicKey: nodeCrypto.createPublicKey({
      key: Buffer.concat([X25519_SPKI_PREFIX, ephemeral]),
      format: "der",
      type: "spki",
    }),
  });
  const k32 = new Uint32Array(8);
  new Uint8Array(k32.buffer).set(shared);
  const out = new Uint32Array(8);
  hsalsa(SIGMA, k32, new Uint32Array(4), out);
  const nonce = blake2b(Buffer.concat([ephemeral, xPublicRaw]), { dkLen: 24 });
  const plain = xsalsa20poly1305(new Uint8Array(out.buffer), nonce).decrypt(sealed.subarray(32));
  return Buffer.from(plain).toString("utf8");
}

// Sanity: every pair computes the same thing before it is timed.
if (
  baselineDecrypt() !== target.taskId ||
  decryptTaskIdResponse(key, encryptedTaskId) !== target.taskId
) {
  throw new Error("decrypt mismatch");
}
if (!baselineVerify()) throw new Error("baseline verify failed");
verifyAgentAssertion(
  baselineHeader(),
  verifyingKeyFromPrivateKeyPkcs8Base64(privateKeyPkcs8Base64),
);

function row(name: string, r: { ours: number; baseline: number }): string {
  const fmt = (n: number) => `${Math.round(n).toLocaleString("en-US")}/s`.padStart(12);
  return `${name.padEnd(34)}${fmt(r.ours)}${fmt(r.baseline)}   ${(r.ours / r.baseline).toFixed(2)}x`;
}

const TARGET_RATIO = 0.8;

/** Prints one table; returns the ratios of the two operations the target applies to. */
function runSuite(backend: CryptoBackendName): number[] {
  setBackendForTesting(backend);
  console.log(`\n@codex/agent-identity (${backend} backend)    ours     node:crypto   ratio`);
  const headers = compare(() => authorizationHeaderForAgentTask(key, target), baselineHeader);
  console.log(row("AgentAssertion headers", headers));
  const verify = compare(
    () => verifyAgentAssertion(header, publicKeySsh, { maxSkewSeconds: Infinity }),
    baselineVerify,
  );
  console.log(row("verifyAgentAssertion", verify));
  const decrypt = compare(() => decryptTaskIdResponse(key, encryptedTaskId), baselineDecrypt);
  console.log(row("decryptTaskIdResponse", decrypt));
  return [headers.ours / headers.baseline, verify.ours / verify.baseline];
}

console.log(`node ${process.version}, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms, median`);
const nodeRatios = runSuite("node");
runSuite("noble");
setBackendForTesting(undefined);
const met = nodeRatios.every((ratio) => ratio >= TARGET_RATIO);
console.log(
  `\ntarget (node backend, headers and verify >= ${TARGET_RATIO}x the baseline): ${met ? "met" : "NOT met"}`,
);
