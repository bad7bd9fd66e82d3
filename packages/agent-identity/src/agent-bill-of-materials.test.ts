import { describe, expect, it } from "vitest";
import {
  AGENT_IDENTITY_PACKAGE_VERSION,
  agentBillOfMaterialsToJson,
  buildAbom,
  rustOsName,
  type SessionSource,
  sessionSourceDisplay,
} from "./agent-bill-of-materials.js";

describe("sessionSourceDisplay", () => {
  it.each([
    ["cli", "cli"],
    ["vscode", "vscode"],
    ["exec", "exec"],
    ["mcp", "mcp"],
    ["unknown", "unknown"],
    [{ custom: "atlas" }, "atlas"],
    [{ subagent: "review" }, "subagent_review"],
    [{ subagent: "compact" }, "subagent_compact"],
    [{ subagent: "memory_consolidation" }, "subagent_memory_consolidation"],
    [{ subagent: { other: "label" } }, "subagent_label"],
    [
      { subagent: { thread_spawn: { parent_thread_id: "t-1", depth: 2, agent_role: null } } },
      "subagent_thread_spawn_t-1_d2",
    ],
  ] as [SessionSource, string][])("%j → %s", (source, expected) => {
    expect(sessionSourceDisplay(source)).toBe(expected);
  });
});

describe("buildAbom", () => {
  it("uses codex-app only for VS Code", () => {
    expect(buildAbom("vscode", { os: "macos" })).toEqual({
      agentVersion: AGENT_IDENTITY_PACKAGE_VERSION,
      agentHarnessId: "codex-app",
      runningLocation: "vscode-macos",
    });
    for (const source of [
      "cli",
      "exec",
      "mcp",
      "unknown",
      { custom: "x" },
      { subagent: "review" },
    ] as SessionSource[]) {
      expect(buildAbom(source).agentHarnessId).toBe("codex-cli");
    }
  });

  it("defaults to the Rust OS name of this process and takes an agent version", () => {
    expect(buildAbom("cli", { agentVersion: "0.120.0" })).toEqual({
      agentVersion: "0.120.0",
      agentHarnessId: "codex-cli",
      runningLocation: `cli-${rustOsName(process.platform)}`,
    });
  });

  it("serializes with serde field names", () => {
    expect(
      agentBillOfMaterialsToJson(buildAbom("exec", { os: "linux", agentVersion: "1" })),
    ).toEqual({
      agent_version: "1",
      agent_harness_id: "codex-cli",
      running_location: "exec-linux",
    });
  });
});

it("maps Node platforms to Rust OS names", () => {
  expect(rustOsName("darwin")).toBe("macos");
  expect(rustOsName("win32")).toBe("windows");
  expect(rustOsName("linux")).toBe("linux");
  expect(rustOsName("freebsd")).toBe("freebsd");
});
