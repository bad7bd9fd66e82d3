// `codex app-server`: one JSON-RPC connection over stdio through @codex/app-server.
import { afterEach, beforeEach, expect, it } from "vitest";
import { cliEnv, runCodex, startCodex, tempHome } from "./support/run-codex.js";

let home: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ home, cleanup } = await tempHome());
});
afterEach(async () => {
  await cleanup();
});

const appServer: unknown = await import("@codex/app-server");
const available = typeof (appServer as { runAppServer?: unknown }).runAppServer === "function";
if (!available) {
  process.stderr.write(
    "[cli] app-server tests skipped: @codex/app-server has no runAppServer in this checkout\n",
  );
}

it.skipIf(!available)("answers initialize on stdout and ends when stdin closes", async () => {
  const run = startCodex(["app-server"], { env: cliEnv(home), keepStdinOpen: true });
  run.child.stdin?.write(
    `${JSON.stringify({ id: 0, method: "initialize", params: { clientInfo: { name: "cli-test", version: "1.0.0" } } })}\n`,
  );
  let stdout = "";
  await new Promise<void>((resolve) => {
    run.child.stdout?.on("data", (c: Buffer) => {
      stdout += c.toString("utf8");
      if (stdout.includes("\n")) resolve();
    });
  });
  const reply = JSON.parse(stdout.split("\n")[0] as string) as { id: unknown; result?: unknown };
  expect(reply.id).toBe(0);
  expect(typeof reply.result).toBe("object");
  run.child.stdin?.end();
  const r = await run.result;
  expect(r.code).toBe(0);
});

it("refuses a transport it does not serve, in one line", async () => {
  const r = await runCodex(["app-server", "--listen", "ws://127.0.0.1:1"], { env: cliEnv(home) });
  expect(r.code).toBe(2);
  expect(r.stderr).toBe("--listen ws://127.0.0.1:1 is not supported: only stdio:// is.\n");
});
