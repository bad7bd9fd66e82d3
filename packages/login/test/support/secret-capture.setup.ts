// Runs in every test worker: tees stdout, stderr and console into the suite capture.
import { format } from "node:util";
import { afterAll } from "vitest";
import { CAPTURE_SENTINEL, capture } from "./capture.js";

for (const stream of [process.stdout, process.stderr]) {
  const original = stream.write.bind(stream);
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    capture(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
    return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write;
}
for (const level of ["log", "info", "warn", "error", "debug"] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    capture(format(...args));
    original(...args);
  };
}

afterAll(() => {
  capture(CAPTURE_SENTINEL);
});
