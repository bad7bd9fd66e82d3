// On a terminal (a pseudo-terminal from util-linux `script`), the browser login shows a spinner
// while it waits and clears it before its last line; on a pipe it prints none (login-commands.test.ts
// checks stderr byte for byte there).
import { spawn, spawnSync } from "node:child_process";
import { type FakeBackend, startFakeBackend } from "@codex/fake-backend";
import { systemTestGate } from "@codex/wire/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CODEX_BIN, cliEnv, tempHome } from "./support/run-codex.js";

const script = systemTestGate("util-linux script (pseudo-terminal)", () =>
  spawnSync("script", ["--version"]).status === 0
    ? { available: true }
    : { available: false, missing: "script on PATH", install: "apt-get install util-linux" },
);

describe.skipIf(script.skip)("codex login on a terminal", () => {
  let backend: FakeBackend;
  beforeAll(async () => {
    script.check();
    backend = await startFakeBackend();
  });
  afterAll(async () => {
    await backend?.close();
  });

  it("shows a spinner while waiting, then clears it and says Successfully logged in", async () => {
    const { home, cleanup } = await tempHome();
    try {
      const command = [
        process.execPath,
        CODEX_BIN,
        "login",
        "--experimental_issuer",
        backend.issuerUrl,
        "--experimental_port",
        "0",
      ]
        .map((a) => `'${a}'`)
        .join(" ");
      const child = spawn("script", ["-qfec", command, "/dev/null"], {
        env: cliEnv(home),
        stdio: ["pipe", "pipe", "pipe"],
      });
      let out = "";
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.setEncoding("utf8").on("data", (c: string) => {
          out += c;
          const m = out.match(/(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)\r?\n/);
          if (m && out.includes("Waiting for you to sign in")) resolve(m[1] as string);
        });
        child.on("close", () => reject(new Error(`codex ended early:\n${out}`)));
      });
      let current = url;
      for (let hop = 0; hop < 5; hop++) {
        const res = await fetch(current, { redirect: "manual" });
        await res.arrayBuffer();
        const location = res.headers.get("location");
        if (location === null) break;
        current = new URL(location, current).toString();
      }
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(code).toBe(0);
      expect(out).toMatch(/\r[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Waiting for you to sign in/);
      expect(out.replace(/\r?\n$/, "").endsWith("\r\u001b[2KSuccessfully logged in")).toBe(true);
    } finally {
      await cleanup();
    }
  });
});
