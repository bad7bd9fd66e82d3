// A writer SIGKILLed at random points in a loop: auth.json must always be a complete old or new
// version (never truncated or torn), and orphaned temp files get cleaned by the next writer.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Secret } from "@codex/wire";
import { describe, expect, it } from "vitest";
import { FileAuthStorage } from "../src/storage/file-auth-storage.js";
import { makeCodexHome } from "./support/tmp.js";

/** Seeded PRNG (mulberry32): the kill points are random but reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkComplete(text: string): number {
  const value = JSON.parse(text) as { seq: number; pad: string; digest: string };
  expect(createHash("sha256").update(`${value.seq}:${value.pad}`).digest("hex")).toBe(value.digest);
  return value.seq;
}

async function killMidWrite(home: string, delayMs: number): Promise<void> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "support", "write-loop.ts"), home],
    { cwd: join(import.meta.dirname, ".."), stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.stdout.once("data", () => resolve());
  });
  await new Promise((r) => setTimeout(r, delayMs));
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await exited;
}

describe("crash safety of auth.json writes", () => {
  it("a writer killed mid-write 12 times always leaves the old or the new content", async () => {
    const home = makeCodexHome();
    const random = mulberry32(0xc0de);
    const seen = new Set<number>();
    for (let i = 0; i < 12; i++) {
      await killMidWrite(home, Math.floor(random() * 40));
      const text = readFileSync(join(home, "auth.json"), "utf8");
      seen.add(checkComplete(text));
    }
    // the writer got past its first version at least once, so kills did land mid-stream
    expect([...seen].some((seq) => seq > 0)).toBe(true);
    // the next regular write removes the temp files the killed writers left behind
    await new FileAuthStorage(home).save({ authMode: "apikey", openaiApiKey: new Secret("sk-x") });
    expect(readdirSync(home)).toEqual(["auth.json"]);
  });
});
