import { z } from "zod";

/** Upstream's message for `wire_api = "chat"` (codex-rs `model-provider-info`). */
export const CHAT_WIRE_API_REMOVED =
  '`wire_api = "chat"` is no longer supported. How to fix: set `wire_api = "responses"` in your provider config.';

/** Upstream's reasoning efforts (`ReasoningEffort`). */
export const REASONING_EFFORTS = ["none", "minimal", "low", "medium", "high", "xhigh"] as const;

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

const nonEmpty = z.string().refine((s) => s.trim() !== "", { error: "must not be empty" });
const httpUrl = z.string().refine(isHttpUrl, { error: "expected an absolute http or https URL" });
const stringMap = z.record(z.string(), z.string());
const count = z.number().int({ error: "expected a non-negative integer" }).nonnegative();
const millis = z.number().int({ error: "expected a positive integer (milliseconds)" }).positive();

const wireApi = z.string().superRefine((value, ctx) => {
  if (value === "responses") return;
  ctx.addIssue({
    code: "custom",
    message: value === "chat" ? CHAT_WIRE_API_REMOVED : 'unknown variant, expected "responses"',
  });
});

/** One `[model_providers.<id>]` table (unknown keys are stripped here and warned elsewhere). */
export const providerSchema = z.object({
  // Upstream defaults a missing name to "" and then rejects it as empty.
  name: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? "provider name must not be empty"
          : "provider name must be a string",
    })
    .refine((s) => s.trim() !== "", { error: "provider name must not be empty" }),
  base_url: httpUrl.optional(),
  env_key: nonEmpty.optional(),
  env_key_instructions: z.string().optional(),
  experimental_bearer_token: z.string().optional(),
  wire_api: wireApi.optional(),
  query_params: stringMap.optional(),
  http_headers: stringMap.optional(),
  env_http_headers: stringMap.optional(),
  request_max_retries: count.optional(),
  stream_max_retries: count.optional(),
  stream_idle_timeout_ms: millis.optional(),
  websocket_connect_timeout_ms: millis.optional(),
  requires_openai_auth: z.boolean().optional(),
  supports_websockets: z.boolean().optional(),
});

/**
 * One `[profiles.<name>]` table: the modelled keys a profile may set over the root (upstream's
 * `ConfigProfile` has more, which this stack ignores like their root twins).
 */
export const profileSchema = z.object({
  model: nonEmpty.optional(),
  model_provider: nonEmpty.optional(),
  model_reasoning_effort: z.enum(REASONING_EFFORTS).optional(),
  chatgpt_base_url: httpUrl.optional(),
  features: z.record(z.string(), z.boolean()).optional(),
});

/** The modelled part of `config.toml` (snake_case, as in the file). */
export const configSchema = z.object({
  model: nonEmpty.optional(),
  model_provider: nonEmpty.optional(),
  model_providers: z.record(z.string(), providerSchema).optional(),
  chatgpt_base_url: httpUrl.optional(),
  openai_base_url: httpUrl.optional(),
  cli_auth_credentials_store: z.enum(["file", "keyring", "auto", "ephemeral"]).optional(),
  forced_chatgpt_workspace_id: nonEmpty.optional(),
  forced_login_method: z.enum(["chatgpt", "api"]).optional(),
  model_reasoning_effort: z.enum(REASONING_EFFORTS).optional(),
  features: z.record(z.string(), z.boolean()).optional(),
  agent_identity_allowed_hosts: z.array(nonEmpty).optional(),
  attestation_timeout_ms: millis.optional(),
  profile: nonEmpty.optional(),
  profiles: z.record(z.string(), profileSchema).optional(),
});

export type ConfigToml = z.infer<typeof configSchema>;
export type ProviderToml = z.infer<typeof providerSchema>;
export type ProfileToml = z.infer<typeof profileSchema>;
