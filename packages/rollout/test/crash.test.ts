import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadRolloutItems } from "../src/index.js";

const CHILD = fileURLToPath(new URL("./crash-child.mjs", import.meta.url));

/** Starts the recording child, SIGKILLs it once it reported `killAfter` progress lines. */
function recordUntilKilled(home: string, threadId: string, killAfter: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, home, threadId], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let path = "";
    let progress = 0;
    let out = "";
    let err = "";
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const lines = out.split("\n");
      out = lines.pop() ?? "";
      for (const l of lines) {
        if (l.startsWith("ready ")) path = l.slice(6);
        if (l.startsWith("progress ")) progress++;
      }
      if (progress >= killAfter && child.exitCode === null && !child.killed) child.kill("SIGKILL");
    });
    child.on("exit", (_code, signal) => {
      if (signal === "SIGKILL" && path !== "") resolve(path);
      else reject(new Error(`child ended without being killed: ${err.slice(0, 500)}`));
    });
  });
}

function expectAllCompleteLinesRecovered(
  text: string,
  loaded: Awaited<ReturnType<typeof loadRolloutItems>>,
): void {
  const terminated = text.split("\n").slice(0, -1);
  const tail = text.endsWith("\n") ? "" : (text.split("\n").pop() ?? "");
  // Every "\n"-terminated line is a whole line and is recovered.
  expect(loaded.items).toHaveLength(terminated.length);
  expect(loaded.items[0]?.type).toBe("session_meta");
  const seqs = loaded.items.slice(1).map((l) => {
    if (l.type !== "event_msg" || l.payload.type !== "agent_message") throw new Error("shape");
    return Number(l.payload.message.split(" ")[1]);
  });
  // No gaps, no duplicates, in order.
  expect(seqs).toEqual(seqs.map((_, i) => i));
  // A torn tail (if the kill landed mid-write) is reported, never mistaken for a line.
  expect(loaded.tornTail).toBe(tail !== "");
  expect(loaded.parseErrors).toBe(tail === "" ? 0 : 1);
}

describe("crash safety (child process SIGKILLed while recording)", () => {
  it("recovers every complete line over several kills", { timeout: 60_000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), "rollout-crash-"));
    try {
      for (let i = 0; i < 4; i++) {
        const threadId = `0196b0c2-7d1e-7a3b-9c4d-00000000000${i}`;
        const path = await recordUntilKilled(home, threadId, 2 + i);
        const text = readFileSync(path, "utf8");
        const loaded = await loadRolloutItems(path);
        expect(loaded.items.length).toBeGreaterThan(200 * (2 + i));
        expectAllCompleteLinesRecovered(text, loaded);

        // Simulate the write torn by the crash (power loss mid-line): cut the last line in half.
        const size = Buffer.byteLength(text);
        const lastStart = Buffer.from(text).lastIndexOf(10, size - 2) + 1;
        truncateSync(path, lastStart + Math.floor((size - lastStart) / 2));
        const torn = await loadRolloutItems(path);
        expectAllCompleteLinesRecovered(readFileSync(path, "utf8"), torn);
        expect(torn.tornTail).toBe(true);
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
