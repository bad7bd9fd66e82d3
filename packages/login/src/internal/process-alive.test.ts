import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { processAlive } from "./process-alive.js";

describe("processAlive", () => {
  it("is true for this process and false for one that exited", () => {
    expect(processAlive(process.pid)).toBe(true);
    const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
    expect(processAlive(Number(r.stdout.toString()))).toBe(false);
  });
});
