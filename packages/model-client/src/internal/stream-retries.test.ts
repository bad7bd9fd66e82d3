import { describe, expect, it } from "vitest";
import { ModelClientError } from "../model-client-error.js";
import { noRetries, streamRetries } from "./stream-retries.js";

describe("streamRetries", () => {
  it("waits the server's hint, else a backoff", async () => {
    const waits: number[] = [];
    const retries = streamRetries(
      3,
      async (ms) => {
        waits.push(ms);
      },
      () => 0.5,
      undefined,
    );
    expect(retries.max).toBe(3);
    expect(retries.used).toBe(0);
    await retries.pause(new ModelClientError("retryable", "x", { retryAfterMs: 1234 }));
    retries.used = 1;
    await retries.pause(new ModelClientError("stream", "x"));
    expect(waits[0]).toBe(1234);
    expect(waits[1]).toBeGreaterThan(0);
  });

  it("turns an interrupted wait into aborted", async () => {
    const retries = streamRetries(
      1,
      async () => {
        throw new Error("aborted");
      },
      Math.random,
      undefined,
    );
    await expect(retries.pause(new ModelClientError("stream", "x"))).rejects.toMatchObject({
      code: "aborted",
    });
  });
});

describe("noRetries", () => {
  it("has no budget and refuses to pause", async () => {
    const retries = noRetries();
    expect(retries.max).toBe(0);
    await expect(retries.pause(new ModelClientError("stream", "x"))).rejects.toMatchObject({
      code: "stream",
    });
  });
});
