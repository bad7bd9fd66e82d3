import { Writable } from "node:stream";
import { expect, it } from "vitest";
import { startSpinner } from "./spinner.js";

function sink(isTTY: boolean): Writable & { text: string; isTTY: boolean } {
  const w = new Writable({
    write(chunk: Buffer, _e, done) {
      (w as unknown as { text: string }).text += chunk.toString("utf8");
      done();
    },
  }) as Writable & { text: string; isTTY: boolean };
  w.text = "";
  w.isTTY = isTTY;
  return w;
}

it("draws on a terminal and clears its line when stopped (once)", async () => {
  const tty = sink(true);
  const stop = startSpinner(tty, "Waiting");
  await new Promise((r) => setImmediate(r));
  stop();
  stop();
  expect(tty.text).toBe("\r⠋ Waiting\r\x1b[2K");
});

it("prints nothing on a pipe", async () => {
  const pipe = sink(false);
  startSpinner(pipe, "Waiting")();
  await new Promise((r) => setImmediate(r));
  expect(pipe.text).toBe("");
});
