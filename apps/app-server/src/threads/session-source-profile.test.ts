import { describe, expect, it } from "vitest";
import { sessionSourceProfile } from "./session-source-profile.js";

describe("sessionSourceProfile", () => {
  it("makes exec threads user threads triggered by exec, without approvals", () => {
    expect(sessionSourceProfile("exec")).toEqual({
      threadSource: "user",
      turnTrigger: "exec",
      approvalPolicy: "never",
    });
  });

  it("gives app-server and other threads neither key, approvals on request", () => {
    for (const source of ["vscode", "cli", "mcp", "unknown"] as const) {
      expect(sessionSourceProfile(source)).toEqual({
        threadSource: null,
        turnTrigger: null,
        approvalPolicy: "on-request",
      });
    }
  });
});
