import { afterEach, expect, it, vi } from "vitest";
import { timeoutSignal } from "./timeout-signal.js";

afterEach(() => {
  vi.useRealTimers();
});

it("aborts with a TimeoutError once ms have passed, not before", async () => {
  vi.useFakeTimers();
  const signal = timeoutSignal(1000);
  await vi.advanceTimersByTimeAsync(999);
  expect(signal.aborted).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  expect(signal.aborted).toBe(true);
  expect((signal.reason as DOMException).name).toBe("TimeoutError");
});
