// Child process of the crash-safety test: rewrites auth.json forever with self-checking payloads
// (each carries a sequence number, padding and a digest of both). Prints "ready" after the first.
// Usage: node --import tsx test/support/write-loop.ts <codexHome>
import { createHash } from "node:crypto";
import { Secret } from "@codex/wire";
import { FileAuthStorage } from "../../src/storage/file-auth-storage.js";

const storage = new FileAuthStorage(process.argv[2] as string);
for (let seq = 0; ; seq++) {
  const pad = String(seq % 10).repeat(64 * 1024);
  const digest = createHash("sha256").update(`${seq}:${pad}`).digest("hex");
  await storage.save({
    authMode: "apikey",
    openaiApiKey: new Secret("sk-crash-test"),
    extra: { seq, pad, digest },
  });
  if (seq === 0) process.stdout.write("ready\n");
}
