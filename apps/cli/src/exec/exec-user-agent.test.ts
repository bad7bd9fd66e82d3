import { describe, expect, it } from "vitest";
import { execUserAgent, terminalName } from "./exec-user-agent.js";

describe("execUserAgent", () => {
  it("has 0.169's shape", () => {
    expect(execUserAgent("codex_exec", "0.169.0", {})).toMatch(
      /^codex_exec\/0\.169\.0 \(\S+ \S+; \S+\) unknown \(codex_exec; 0\.169\.0\)$/,
    );
  });

  it("names the terminal and drops what a header cannot carry", () => {
    expect(terminalName({ TERM_PROGRAM: "vscode", TERM_PROGRAM_VERSION: "1.2" })).toBe(
      "vscode/1.2",
    );
    expect(terminalName({ TERM: "xterm-256color" })).toBe("xterm-256color");
    expect(execUserAgent("codex_sdk_ts", "1", { TERM: "tërm\n" })).toContain(
      " trm (codex_sdk_ts; 1)",
    );
  });
});
