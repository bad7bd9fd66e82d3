import { describe, expect, it } from "vitest";
import { ThreadStartedNotification, ThreadStartParams, ThreadStartResponse } from "./thread.js";

describe("thread messages", () => {
  it("accepts {} and typed overrides for thread/start", () => {
    expect(ThreadStartParams.parse({})).toEqual({});
    expect(
      ThreadStartParams.parse({
        approvalPolicy: "on-request",
        sandbox: "workspace-write",
        cwd: "/p",
      }),
    ).toEqual({
      approvalPolicy: "on-request",
      sandbox: "workspace-write",
      cwd: "/p",
    });
    expect(
      ThreadStartParams.parse({ approvalPolicy: { granular: { rules: true } } }).approvalPolicy,
    ).toEqual({
      granular: { rules: true },
    });
    expect(ThreadStartParams.safeParse({ sandbox: "yolo" }).success).toBe(false);
    expect(ThreadStartParams.safeParse({ approvalPolicy: "sometimes" }).success).toBe(false);
  });

  it("parses the spec's abbreviated thread/start result and keeps extra members", () => {
    const result = ThreadStartResponse.parse({
      thread: {
        id: "thr_1",
        preview: "",
        modelProvider: "openai",
        createdAt: 1767225600,
        turns: [],
        status: { type: "idle" },
      },
      model: "gpt-x",
      modelProvider: "openai",
      cwd: "/home/u/project",
      serviceTier: null,
    });
    expect(result.thread).toMatchObject({ id: "thr_1", status: { type: "idle" } });
    expect(result).toHaveProperty("serviceTier", null);
    expect(ThreadStartedNotification.parse({ thread: { id: "thr_1" } })).toEqual({
      thread: { id: "thr_1" },
    });
    expect(ThreadStartedNotification.safeParse({ thread: {} }).success).toBe(false);
  });
});
