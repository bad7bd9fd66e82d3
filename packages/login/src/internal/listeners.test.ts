import { captureLogger } from "@codex/wire/testing";
import { expect, it } from "vitest";
import { Listeners } from "./listeners.js";

it("calls every listener, logs one that throws, and stops calling a removed one", () => {
  const log = captureLogger();
  const listeners = new Listeners<number>(log.logger);
  const seen: number[] = [];
  const remove = listeners.add((n) => seen.push(n));
  listeners.add(() => {
    throw new Error("boom");
  });
  listeners.add((n) => seen.push(n * 10));
  listeners.emit(1);
  expect(seen).toEqual([1, 10]);
  expect(log.records.map((r) => r.msg)).toEqual(["auth state listener failed: boom"]);
  remove();
  listeners.emit(2);
  expect(seen).toEqual([1, 10, 20]);
});
