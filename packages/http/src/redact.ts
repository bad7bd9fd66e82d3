import { REDACTED_TEXT, Secret } from "./secret.js";

/** Query-string and form keys whose values are always secret (login spec: code, state, tokens…). */
const SENSITIVE_PARAM =
  /^(code|state|code_verifier|token|key|api_key|apikey|client_secret|password|subject_token|[a-z_]*_token|access[-_]?token|refresh[-_]?token|id[-_]?token)$/i;

/** Object keys whose values are always secret, whatever their type. */
const SENSITIVE_FIELD =
  /(token|secret|password|passwd|authorization|cookie|api[-_]?key|code_verifier|private[-_]?key|biscuit|assertion|^code$|^state$|^key$|credential)/i;

const TEXT_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  // Authorization schemes: keep the scheme, drop the credential.
  [/\b(Bearer|Basic|AgentAssertion)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED_TEXT}`],
  // JWTs (id, access tokens): header.payload[.signature], base64url.
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)?/g, REDACTED_TEXT],
  // OpenAI-style API keys.
  [/\bsk-[A-Za-z0-9_-]{6,}/g, `sk-${REDACTED_TEXT}`],
  // Ed25519 PKCS#8 private keys in base64 (fixed DER prefix 302e020100300506032b6570…).
  [/MC4CAQAwBQYDK2VwBCIEI[A-Za-z0-9+/=]*/g, REDACTED_TEXT],
  // URL credentials: scheme://user:pass@host.
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]*@/gi, `$1${REDACTED_TEXT}@`],
  // Sensitive query or form parameters: code=…, state=…, refresh_token=…
  [
    /([?&\s]|^)((?:code|state|code_verifier|token|key|api_key|client_secret|password|subject_token|[a-z_]*_token))=([^&\s#"']+)/gi,
    `$1$2=${REDACTED_TEXT}`,
  ],
  // JSON members with sensitive names: "refresh_token":"…"
  [
    /("(?:[a-z_]*token|api_key|OPENAI_API_KEY|agent_private_key|code_verifier|client_secret|password|code|state)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
    `$1"${REDACTED_TEXT}"`,
  ],
];

/**
 * Removes every known secret shape from free text: bearer/AgentAssertion credentials, JWTs, API
 * keys, PKCS#8 Ed25519 keys, URL credentials, and sensitive query, form or JSON values.
 *
 * @example
 * ```ts
 * redactText("GET /cb?code=abc&state=xyz"); // "GET /cb?code=[REDACTED]&state=[REDACTED]"
 * ```
 */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_PATTERNS) {
    out = out.replace(pattern, replacement);
  }
  return out;
}

/**
 * Returns the URL with credentials and sensitive query values replaced, safe to log or put in an
 * error message. Unparseable input falls back to {@link redactText}.
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return redactText(String(url));
  }
  if (parsed.username || parsed.password) {
    parsed.username = REDACTED_TEXT;
    parsed.password = "";
  }
  for (const name of [...parsed.searchParams.keys()]) {
    if (SENSITIVE_PARAM.test(name)) {
      parsed.searchParams.set(name, REDACTED_TEXT);
    }
  }
  // URLSearchParams percent-encodes the brackets; keep the marker readable.
  return redactText(parsed.toString().replaceAll("%5BREDACTED%5D", REDACTED_TEXT));
}

/** True when a field of this name holds a secret whatever its value (`access_token`, `apiKey`…). */
export function isSensitiveFieldName(name: string): boolean {
  return SENSITIVE_FIELD.test(name);
}

const MAX_DEPTH = 6;

/**
 * Deep-copies structured log fields with secrets removed: sensitive keys, {@link Secret}
 * instances, secret-shaped strings, and errors (message redacted, stack dropped).
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (value instanceof Secret) return REDACTED_TEXT;
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[Truncated]";
  if (value instanceof URL) return redactUrl(value);
  if (value instanceof Error) {
    const err: Record<string, unknown> = { name: value.name, message: redactText(value.message) };
    const code = (value as { code?: unknown }).code;
    if (typeof code === "string" || typeof code === "number") err.code = code;
    if (value.cause !== undefined) err.cause = redactValue(value.cause, depth + 1);
    return err;
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      isSensitiveFieldName(key) && item !== null && item !== undefined && typeof item !== "boolean"
        ? REDACTED_TEXT
        : redactValue(item, depth + 1);
  }
  return out;
}
