// Child process of the crash-safety test: saves auth.json through FileAuthStorage (so under both
// credential flocks, temp + fsync + rename) with self-checking payloads (each carries a sequence
// number, padding and a digest of both), printing each sequence number once its save returned.
// Usage: node test/.workers/test/support/write-loop.js <codexHome> <firstSeq> <count>
// (compiled by build-workers.global.ts)
import { createHash } from "node:crypto";
import { Secret } from "@codex/wire";
import { FileAuthStorage } from "../../src/storage/file-auth-storage.js";

const [home = "", firstText = "0", countText = "1"] = process.argv.slice(2);
const storage = new FileAuthStorage(home);
const first = Number(firstText);
for (let seq = first; seq < first + Number(countText); seq++) {
  const pad = String(seq % 10).repeat(64 * 1024);
  const digest = createHash("sha256").update(`${seq}:${pad}`).digest("hex");
  await storage.save({
    authMode: "apikey",
    openaiApiKey: new Secret("sk-crash-test"),
    extra: { seq, pad, digest },
  });
  process.stdout.write(`${seq}\n`);
}
