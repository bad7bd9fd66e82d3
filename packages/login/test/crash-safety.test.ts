// Writers SIGKILLed at random points of 500 saves: auth.json must always be a complete old or new
// version (never truncated, torn or unreadable, always 0600), a killed holder never leaves a lock
// behind (the kernel drops a dead process's flock, so the next writer goes on), and orphaned temp
// files get cleaned by the next writer. No timing assertion: the kill points are counted in saves.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Secret } from "@codex/wire";
import { describe, expect, it } from "vitest";
import { FileAuthStorage } from "../src/storage/file-auth-storage.js";
import { makeCodexHome } from "./support/tmp.js";
import { workerPath } from "./support/workers.js";

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

const TOTAL_WRITES = 500;
const WRITES_PER_WRITER = 25;

/**
 * Starts a writer at `firstSeq`, lets `killAfter` saves complete, then SIGKILLs it a random few
 * hundred microseconds to milliseconds later (mid-save: in a lock wait, the write, the fsync or the
 * rename). Returns the saves it reported complete.
 */
async function killMidWrite(
  home: string,
  firstSeq: number,
  killAfter: number,
  spinMs: number,
): Promise<number> {
  const child = spawn(
    process.execPath,
    [workerPath("write-loop"), home, String(firstSeq), String(WRITES_PER_WRITER)],
    { cwd: join(import.meta.dirname, ".."), stdio: ["ignore", "pipe", "inherit"] },
  );
  let done = 0;
  const exited = new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", () => resolve());
  });
  await new Promise<void>((resolve) => {
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      done += chunk.split("\n").filter((line) => line !== "").length;
      if (done >= killAfter) resolve();
    });
    void exited.then(() => resolve());
  });
  // a short busy wait lands the kill inside the next save rather than between two
  const until = performance.now() + spinMs;
  while (performance.now() < until) {
    /* spin */
  }
  child.kill("SIGKILL");
  await exited;
  return done;
}

describe("crash safety of auth.json writes", () => {
  it(`writers killed (-9) at random points of ${TOTAL_WRITES} saves always leave a complete, readable auth.json`, async () => {
    const home = makeCodexHome();
    const random = mulberry32(0xc0de);
    const storage = new FileAuthStorage(home);
    let completed = 0;
    let kills = 0;
    let nextSeq = 0;
    const seen = new Set<number>();
    while (completed < TOTAL_WRITES) {
      const killAfter = 1 + Math.floor(random() * (WRITES_PER_WRITER - 1));
      completed += await killMidWrite(home, nextSeq, killAfter, random() * 3);
      kills++;
      const text = readFileSync(join(home, "auth.json"), "utf8");
      const seq = checkComplete(text); // complete JSON with a matching digest: never torn
      expect((await storage.load())?.authMode).toBe("apikey"); // readable through the store
      expect(statSync(join(home, "auth.json")).mode & 0o777).toBe(0o600);
      seen.add(seq);
      nextSeq = seq + 1;
    }
    expect(completed).toBeGreaterThanOrEqual(TOTAL_WRITES);
    expect(kills).toBeGreaterThanOrEqual(TOTAL_WRITES / WRITES_PER_WRITER);
    // the file advanced across kills (each writer resumed after the last complete save)
    expect(Math.max(...seen)).toBeGreaterThanOrEqual(TOTAL_WRITES - 1);
    // the next regular write (it must get both locks: no dead writer kept one) removes the temp
    // files the killed writers left behind; the two lock files stay, empty
    await storage.save({ authMode: "apikey", openaiApiKey: new Secret("sk-x") });
    expect(readdirSync(home).sort()).toEqual(["auth.json", "auth.json.lock", "auth.lock"]);
    expect(readFileSync(join(home, "auth.json.lock"), "utf8")).toBe("");
  }, 240_000); // a bound, not a speed target: about 40 node starts and 500 fsynced saves
});
