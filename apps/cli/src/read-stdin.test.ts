import { Readable } from "node:stream";
import { expect, it } from "vitest";
import { readAllText } from "./read-stdin.js";

it("reads every chunk as UTF-8", async () => {
  expect(await readAllText(Readable.from([Buffer.from("sk-"), Buffer.from("é\n")]))).toBe("sk-é\n");
});

it("refuses more than the bound", async () => {
  await expect(readAllText(Readable.from([Buffer.alloc(10)]), 5)).rejects.toThrow(
    "more than 5 bytes on stdin",
  );
});
