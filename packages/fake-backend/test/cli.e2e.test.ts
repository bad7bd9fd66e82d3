import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The built CLI, started with plain `node` as a user starts it (the test task runs after the
// package's build).
const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

// Generous: a loaded 2-core machine can take seconds to start a process.
const START_TIMEOUT_MS = 30_000;

describe("fake-backend CLI", () => {
  it(
    "prints its URLs, serves requests and exits 0 on SIGINT",
    async () => {
      const child = spawn(process.execPath, [CLI, "--plan", "pro"], {
        cwd: fileURLToPath(new URL("..", import.meta.url)),
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match !== null && output.includes("Ctrl-C")) resolve(match[1]!);
        });
        child.once("exit", (code) => reject(new Error(`exited early with ${code}: ${output}`)));
      });
      expect(output).toContain(`chatgpt backend: ${url}/backend-api`);
      expect(output).toContain(`openai api:      ${url}/v1`);
      const res = await fetch(`${url}/v1/responses`, {
        method: "POST",
        headers: { authorization: "Bearer sk-cli", "content-type": "application/json" },
        body: JSON.stringify({
          model: "m",
          input: [{ role: "user", content: "from the cli test" }],
        }),
      });
      expect(await res.text()).toContain("from the cli test");
      const exit = new Promise<number | null>((resolve) =>
        child.once("exit", (code) => resolve(code)),
      );
      child.kill("SIGINT");
      expect(await exit).toBe(0);
    },
    START_TIMEOUT_MS,
  );

  it(
    "exits 1 with a message for a bad port",
    async () => {
      const child = spawn(process.execPath, [CLI, "--port", "99999"], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const code = await new Promise<number | null>((resolve) =>
        child.once("exit", (c) => resolve(c)),
      );
      expect(code).toBe(1);
      expect(stderr).toContain("option port must be an integer between 0 and 65535");
    },
    START_TIMEOUT_MS,
  );
});
