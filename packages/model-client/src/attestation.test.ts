import { describe, expect, it } from "vitest";
import {
  type AttestationProvider,
  attestationEnvelope,
  generateAttestationHeader,
  isChatgptCodexBackend,
} from "./attestation.js";

const provider = (fn: AttestationProvider["tokenForRequest"]): AttestationProvider => ({
  tokenForRequest: fn,
});

describe("attestation envelope", () => {
  it("is compact JSON v, s, then t only on success", () => {
    expect(attestationEnvelope(0, "v1.abc")).toBe('{"v":1,"s":0,"t":"v1.abc"}');
    expect(attestationEnvelope(2)).toBe('{"v":1,"s":2}');
  });

  it("wraps a token, and turns every failure into a status, never a rejection", async () => {
    expect(
      await generateAttestationHeader(
        provider(async () => "v1.ok"),
        "T",
        1000,
      ),
    ).toBe('{"v":1,"s":0,"t":"v1.ok"}');
    expect(
      await generateAttestationHeader(
        provider(() => new Promise(() => {})),
        "T",
        5,
      ),
    ).toBe('{"v":1,"s":1}');
    expect(
      await generateAttestationHeader(
        provider(async () => Promise.reject(new Error("no"))),
        "T",
        1000,
      ),
    ).toBe('{"v":1,"s":2}');
    expect(
      await generateAttestationHeader(
        provider(() => {
          throw new Error("sync");
        }),
        "T",
        1000,
      ),
    ).toBe('{"v":1,"s":2}');
    const aborted = AbortSignal.abort();
    expect(
      await generateAttestationHeader(
        provider(() => new Promise(() => {})),
        "T",
        1000,
        aborted,
      ),
    ).toBe('{"v":1,"s":3}');
    expect(
      await generateAttestationHeader(
        provider(async () => "bad\nvalue"),
        "T",
        1000,
      ),
    ).toBe('{"v":1,"s":4}');
    expect(
      await generateAttestationHeader(
        provider(async () => 42 as unknown as string),
        "T",
        1000,
      ),
    ).toBe('{"v":1,"s":4}');
    expect(
      await generateAttestationHeader(
        provider(async () => undefined),
        "T",
        1000,
      ),
    ).toBe(undefined);
  });

  it("hands the provider the thread id and a signal that fires at the budget", async () => {
    let seen: { threadId: string; aborted: () => boolean } | undefined;
    await generateAttestationHeader(
      provider((ctx) => {
        seen = { threadId: ctx.threadId, aborted: () => ctx.signal.aborted };
        return new Promise(() => {});
      }),
      "thread-9",
      5,
    );
    expect(seen?.threadId).toBe("thread-9");
    expect(seen?.aborted()).toBe(true);
  });
});

describe("isChatgptCodexBackend", () => {
  it("matches the configured ChatGPT base + /codex, loopback included, case and slash insensitive", () => {
    expect(
      isChatgptCodexBackend(
        "https://chatgpt.com/backend-api/codex",
        "https://chatgpt.com/backend-api",
      ),
    ).toBe(true);
    expect(
      isChatgptCodexBackend(
        "https://ChatGPT.com/backend-api/codex/",
        "https://chatgpt.com/backend-api/",
      ),
    ).toBe(true);
    expect(
      isChatgptCodexBackend(
        "http://127.0.0.1:5/backend-api/codex",
        "http://127.0.0.1:5/backend-api",
      ),
    ).toBe(true);
    expect(
      isChatgptCodexBackend("https://api.openai.com/v1", "https://chatgpt.com/backend-api"),
    ).toBe(false);
    expect(isChatgptCodexBackend("http://127.0.0.1:5/v1", "http://127.0.0.1:5/backend-api")).toBe(
      false,
    );
  });
});
