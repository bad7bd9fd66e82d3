import { describe, expect, it } from "vitest";
import { blendedTotal, formatSummary, formatWithSeparators, HumanOutput } from "./human-output.js";

describe("formatSummary", () => {
  it("prints 0.169's header", () => {
    expect(
      formatSummary({
        version: "0.169.0",
        workdir: "/w",
        model: "gpt-5.4",
        provider: "fake",
        sandbox: "read-only",
        reasoningEffort: undefined,
        reasoningSummaries: undefined,
        sessionId: "id-1",
        prompt: "say hi",
      }),
    ).toBe(
      "OpenAI Codex v0.169.0\n--------\nworkdir: /w\nmodel: gpt-5.4\nprovider: fake\napproval: never\nsandbox: read-only\nreasoning effort: none\nreasoning summaries: none\nsession id: id-1\n--------\nuser\nsay hi\n",
    );
  });
});

describe("token figures", () => {
  it("groups thousands and blends input - cached + output", () => {
    expect(formatWithSeparators(5167)).toBe("5,167");
    expect(formatWithSeparators(1234567)).toBe("1,234,567");
    expect(formatWithSeparators(12)).toBe("12");
    const t = { cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningOutputTokens: 0 };
    expect(blendedTotal({ ...t, inputTokens: 5165, outputTokens: 2 })).toBe(5167);
    expect(blendedTotal({ ...t, inputTokens: 2, cachedInputTokens: 5, outputTokens: 3 })).toBe(3);
  });
});

describe("HumanOutput", () => {
  it("shows each agent message on stderr and the last one alone on stdout", () => {
    const h = new HumanOutput();
    expect(h.render({ kind: "turnStarted" })).toBe("");
    expect(
      h.render({ kind: "itemCompleted", item: { kind: "agentMessage", id: "m", text: "hi" } }),
    ).toBe("codex\nhi\n");
    expect(h.render({ kind: "warning", message: "w" })).toBe("warning: w\n");
    h.render({
      kind: "tokenUsage",
      total: {
        inputTokens: 1000,
        cachedInputTokens: 0,
        cacheWriteInputTokens: 0,
        outputTokens: 5,
        reasoningOutputTokens: 0,
      },
    });
    h.render({
      kind: "turnCompleted",
      status: "completed",
      errorMessage: undefined,
      agentMessages: ["hi"],
    });
    expect(h.outcome).toBe("completed");
    expect(h.final({ stdout: false, stderr: false })).toEqual({
      stderr: "tokens used\n1,005\n",
      stdout: "hi\n",
    });
    // Both streams on a terminal: the answer was already shown on stderr.
    expect(h.final({ stdout: true, stderr: true }).stdout).toBe("");
    expect(h.final({ stdout: true, stderr: false }).stdout).toBe("hi\n");
  });

  it("prints a failed turn's error once, nothing on stdout", () => {
    const h = new HumanOutput();
    expect(h.render({ kind: "error", message: "boom", willRetry: false })).toBe("ERROR: boom\n");
    expect(
      h.render({
        kind: "turnCompleted",
        status: "failed",
        errorMessage: "boom",
        agentMessages: [],
      }),
    ).toBe("");
    expect(h.outcome).toBe("failed");
    expect(h.final({ stdout: false, stderr: false })).toEqual({ stderr: "", stdout: "" });
  });

  it("prints a different turn error, and a retry notice without the ERROR prefix", () => {
    const h = new HumanOutput();
    expect(h.render({ kind: "error", message: "Reconnecting... 1/5", willRetry: true })).toBe(
      "Reconnecting... 1/5\n",
    );
    expect(
      h.render({
        kind: "turnCompleted",
        status: "failed",
        errorMessage: undefined,
        agentMessages: [],
      }),
    ).toBe("ERROR: turn failed\n");
  });
});
