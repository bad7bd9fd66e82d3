import { describe, expect, it } from "vitest";
import { archDescription, isHeaderValue, terminalDescription, userAgent } from "./user-agent.js";

describe("userAgent", () => {
  it("has 0.169's format", () => {
    expect(
      userAgent({
        originator: "acme",
        clientName: "acme",
        clientVersion: "1.0",
        version: "0.1.0",
        os: "Debian 12.0.0",
        arch: "x86_64",
        env: { TERM: "xterm" },
      }),
    ).toBe("acme/0.1.0 (Debian 12.0.0; x86_64) xterm (acme; 1.0)");
  });

  it("reads the terminal from TERM_PROGRAM (with version), else TERM, else unknown", () => {
    expect(terminalDescription({ TERM_PROGRAM: "vscode", TERM_PROGRAM_VERSION: "1.9" })).toBe(
      "vscode/1.9",
    );
    expect(terminalDescription({ TERM_PROGRAM: "iTerm.app" })).toBe("iTerm.app");
    expect(terminalDescription({ TERM: "xterm-256color" })).toBe("xterm-256color");
    expect(terminalDescription({})).toBe("unknown");
  });

  it("names architectures as upstream does and defaults to this machine", () => {
    expect(archDescription("x64")).toBe("x86_64");
    expect(archDescription("arm64")).toBe("aarch64");
    expect(archDescription("riscv64")).toBe("riscv64");
    const agent = userAgent({ originator: "o", clientName: "n", clientVersion: "v", env: {} });
    expect(agent).toMatch(/^o\/\d+\.\d+\.\d+\S* \([^;]+; [^)]+\) unknown \(n; v\)$/);
  });

  it("replaces what a header cannot carry", () => {
    const agent = userAgent({
      originator: "a",
      clientName: "naïve",
      clientVersion: "1\n2",
      version: "0",
      os: "X 1",
      arch: "y",
      env: {},
    });
    expect(agent).toBe("a/0 (X 1; y) unknown (na_ve; 1_2)");
    expect(isHeaderValue(agent)).toBe(true);
  });

  it("tells valid header values (tab and non-ASCII allowed) from invalid ones", () => {
    expect(isHeaderValue("acme desktop\t1")).toBe(true);
    expect(isHeaderValue("café")).toBe(true);
    expect(isHeaderValue("bad\rname")).toBe(false);
    expect(isHeaderValue("bad\nname")).toBe(false);
    expect(isHeaderValue("del\u007f")).toBe(false);
  });
});
