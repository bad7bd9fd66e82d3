#!/usr/bin/env node
import { parseArgs } from "node:util";
import { createLogger } from "@codex/wire";
import { startFakeBackend } from "./start-fake-backend.js";

/**
 * `fake-backend [--port N] [--plan P] [--email E] [--account-id A] [--verbose]`: runs the fake
 * backend on 127.0.0.1, prints its URLs, logs unknown paths (every request with `--verbose`) as
 * JSON lines on stderr, and closes on Ctrl-C.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "0" },
      plan: { type: "string" },
      email: { type: "string" },
      "account-id": { type: "string" },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      "usage: fake-backend [--port N] [--plan P] [--email E] [--account-id A] [--verbose]\n",
    );
    return;
  }
  const port = Number(values.port);
  const backend = await startFakeBackend({
    port,
    // Unknown paths (a newer client calling an endpoint the fake lacks) are logged on stderr.
    logger: createLogger({ level: values.verbose ? "debug" : "warn" }),
    account: {
      ...(values.plan === undefined ? {} : { planType: values.plan }),
      ...(values.email === undefined ? {} : { email: values.email }),
      ...(values["account-id"] === undefined ? {} : { chatgptAccountId: values["account-id"] }),
    },
  });
  process.stdout.write(
    [
      `fake backend listening on ${backend.url}`,
      `  issuer:          ${backend.issuerUrl}`,
      `  chatgpt backend: ${backend.chatgptBaseUrl}`,
      `  openai api:      ${backend.openaiBaseUrl}`,
      "press Ctrl-C to stop",
      "",
    ].join("\n"),
  );
  const stop = () => {
    backend.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `fake backend failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
