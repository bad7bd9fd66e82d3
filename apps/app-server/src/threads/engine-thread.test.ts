import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type ThreadView,
  threadSourceOf,
  threadStartedNotification,
  threadStartResult,
} from "./engine-thread.js";

const CAPTURE = new URL("../../test/fixtures/threads-0169-capture.json", import.meta.url);

const view: ThreadView = {
  id: "t1",
  cwd: "/w",
  model: "gpt-5.4",
  createdAt: 10,
  updatedAt: 20,
  preview: "hi",
  path: "/home/sessions/rollout-t1.jsonl",
  historyMode: "legacy",
};
const facts = {
  modelProvider: "fake",
  reasoningEffort: null,
  cliVersion: "0.169.0",
  originator: "o",
  sessionSource: "vscode" as const,
};

describe("threadStartResult", () => {
  it("has the keys of 0.169's thread/start result and thread, in its order", () => {
    const capture = JSON.parse(readFileSync(CAPTURE, "utf8")) as {
      threadStartResult: { thread: object };
    };
    const result = threadStartResult(view, facts);
    expect(Object.keys(result)).toEqual(Object.keys(capture.threadStartResult));
    expect(Object.keys(result.thread)).toEqual(Object.keys(capture.threadStartResult.thread));
  });

  it("shows the thread's facts", () => {
    const result = threadStartResult(view, facts);
    expect(result.thread).toMatchObject({
      id: "t1",
      sessionId: "t1",
      cwd: "/w",
      path: view.path,
      preview: "hi",
      createdAt: 10,
      updatedAt: 20,
      recencyAt: 20,
      source: "vscode",
      environments: [{ environmentId: "local", cwd: "/w", runtimeWorkspaceRoots: ["/w"] }],
    });
    expect(result).toMatchObject({ model: "gpt-5.4", modelProvider: "fake", cwd: "/w" });
    expect(threadStartedNotification(result)).toEqual({
      method: "thread/started",
      params: { thread: result.thread },
    });
  });

  it("shows an mcp thread as unknown (0.169's ThreadSource has no mcp)", () => {
    expect(threadSourceOf("mcp")).toBe("unknown");
    expect(threadSourceOf("exec")).toBe("exec");
  });
});
