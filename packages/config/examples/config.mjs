// Runnable: node packages/config/examples/config.mjs (after `pnpm --filter @codex/config build`).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "@codex/config";
import { createLogger } from "@codex/wire";

const codexHome = mkdtempSync(join(tmpdir(), "codex-config-example-"));
writeFileSync(
  join(codexHome, "config.toml"),
  `model = "gpt-demo"
model_provider = "demo"
agent_identity_allowed_hosts = ["127.0.0.1"]
sandbox_mode = "read-only"   # upstream key this stack ignores: no warning
colour = "blue"              # unknown: one warning

[model_providers.demo]
name = "demo"
base_url = "http://127.0.0.1:8080/backend-api/codex"
requires_openai_auth = true
`,
);

const config = await loadConfig({
  codexHome,
  overrides: ["model=gpt-5", "model_providers.demo.request_max_retries=0"],
  logger: createLogger({ level: "warn" }),
});
console.log(config.model, config.modelProviderId, config.modelProvider);
// gpt-5 demo { name: 'demo', wireApi: 'responses', requiresOpenaiAuth: true, supportsWebsockets: false,
//   baseUrl: 'http://127.0.0.1:8080/backend-api/codex', requestMaxRetries: 0 }

try {
  await loadConfig({ codexHome, overrides: ["model_provider=nowhere"] });
} catch (err) {
  if (ConfigError.is(err)) console.log(err.code, err.key); // unknown_provider model_provider
}
rmSync(codexHome, { recursive: true, force: true });
