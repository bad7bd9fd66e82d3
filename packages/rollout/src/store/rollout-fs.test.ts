import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nodeRolloutFs } from "./rollout-fs.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "rollout-fs-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("nodeRolloutFs", () => {
  it("creates folders, appends, reports size, reads the tail and syncs", async () => {
    const sub = join(dir, "a", "b");
    await nodeRolloutFs.mkdirp(sub);
    const h = await nodeRolloutFs.openAppend(join(sub, "f"));
    expect(await h.write(Buffer.from("ab\n"))).toBe(3);
    expect(await h.write(Buffer.from("cd"))).toBe(2);
    await h.sync();
    expect(await h.size()).toBe(5);
    const last = new Uint8Array(1);
    expect(await h.readAt(last, 4)).toBe(1);
    expect(String.fromCharCode(last[0] as number)).toBe("d");
    await h.close();
    expect(readFileSync(join(sub, "f"), "utf8")).toBe("ab\ncd");
  });

  it("fails to open inside a missing folder", async () => {
    await expect(nodeRolloutFs.openAppend(join(dir, "missing", "f"))).rejects.toMatchObject({
      code: "ENOENT",
    });
  });
});
