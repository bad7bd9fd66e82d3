import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { imageInput } from "./image-input.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "exec-image-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("imageInput", () => {
  it("reads a file relative to the working root into a data URL", async () => {
    await writeFile(join(dir, "a.JPG"), Buffer.from([1, 2, 3]));
    expect(await imageInput("a.JPG", dir)).toEqual({
      type: "image",
      url: "data:image/jpeg;base64,AQID",
    });
  });

  it("refuses a missing file or a non-image name in one line", async () => {
    await expect(imageInput("none.png", dir)).rejects.toThrow("Error: --image none.png: ENOENT");
    await writeFile(join(dir, "notes.txt"), "x");
    await expect(imageInput("notes.txt", dir)).rejects.toThrow(
      "Error: --image notes.txt: not a PNG, JPEG, GIF or WebP file",
    );
  });
});
