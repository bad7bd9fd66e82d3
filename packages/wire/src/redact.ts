import { REDACTED_TEXT, Secret } from "./secret.js";

/**
 * Names (keys, fields, parameters, headers) whose values are secrets: anything ending in `token`,
 * `secret`, `password`, `api_key`/`apiKey`, `private_key…`, `cookie`, `authorization`, plus the
 * OAuth `code_verifier`, `authorization_code` and `device_code`. `max_tokens` or `token_type` do
 * not match: the name must END in the secret word.
 */
const SECRET_NAME =
  "[a-z0-9_-]*(?:token|secret|password|passwd|api[-_]?key|private[-_]?key[a-z0-9_]*|code_verifier|authorization_code|device_code|authorization|cookie|credentials?|biscuit|assertion)";

/** Query-string and form keys whose values are always secret (login spec: code, state, tokens…). */
const SENSITIVE_PARAM = new RegExp(`^(?:${SECRET_NAME}|code|state|key)$`, "i");

/** Object keys whose values are always secret (strings and objects; numbers are counters). */
const SENSITIVE_FIELD =
  /(token|secret|password|passwd|authorization|cookie|api[-_]?key|code_verifier|private[-_]?key|biscuit|assertion|^code$|^state$|^key$|credential)/i;

/** An unquoted value: up to whitespace, a separator, a quote, a bracket or an encoded `&`/`"`. */
const UNQUOTED_VALUE = String.raw`(?:(?!%26|%22|%2C)[^\s&,;#"'<>{}()\[\]\\])+`;

/** A value: JSON-escaped, double-, single- or percent-quoted string, or an unquoted run. */
const ANY_VALUE = String.raw`\\"(?:(?!\\").)*\\"|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|%22(?:(?!%22).)*%22|${UNQUOTED_VALUE}`;

/** `name: value`, `name=value`, `"name": "value"`, `'name': 'value'`, percent-encoded forms. */
const KEY_VALUE = new RegExp(
  String.raw`(?<![\w-])(\\?"|'|%22)?(${SECRET_NAME})\1(\s*(?::|=|%3A|%3D)\s*)(${ANY_VALUE})`,
  "gi",
);

/** `Authorization:` / `Cookie:` header lines: the rest of the line is the credential. */
const HEADER_LINE =
  /(?<![\w-])((?:proxy-)?authorization|(?:set-)?cookie)([ \t]*:[ \t]*)(?!["'\s]|%22)([^\r\n]+)/gi;

/** OAuth `code`/`state` and Google-style `key` parameters, in a query, fragment or form body. */
const URL_PARAM = new RegExp(
  `(^|[?&#]|%3F|%26|%23)(code|state|key)(=|%3D)(${UNQUOTED_VALUE})`,
  "gim",
);

function quotedPlaceholder(value: string): string {
  for (const quote of ['\\"', '"', "'", "%22"]) {
    if (value.startsWith(quote)) return `${quote}${REDACTED_TEXT}${quote}`;
  }
  return REDACTED_TEXT;
}

type Replacer = (match: string, ...groups: string[]) => string;

const TEXT_PATTERNS: ReadonlyArray<readonly [RegExp, string | Replacer]> = [
  // Header lines first: keep the scheme (`Authorization: Bearer [REDACTED]`), drop the rest.
  [
    HEADER_LINE,
    (_match, name = "", separator = "", value = "") => {
      const scheme = /^authorization$/i.test(name.replace(/^proxy-/i, ""))
        ? /^([A-Za-z][\w-]*)\s+\S/.exec(value)?.[1]
        : undefined;
      return `${name}${separator}${scheme === undefined ? "" : `${scheme} `}${REDACTED_TEXT}`;
    },
  ],
  // Authorization schemes: keep the scheme, drop the credential.
  [/\b(Bearer|Basic|AgentAssertion)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED_TEXT}`],
  // JWTs (id, access tokens): header.payload[.signature], base64url.
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)?/g, REDACTED_TEXT],
  // OpenAI-style API keys.
  [/\bsk-[A-Za-z0-9_-]{6,}/g, `sk-${REDACTED_TEXT}`],
  // Ed25519 PKCS#8 private keys in base64: v1 (302e020100…) and the v2 ed25519-dalek writes
  // (3051020101…), both followed by 300506032b6570 04220420.
  [/(?:MC4CAQAw|MFECAQEw)BQYDK2VwBCIEI[A-Za-z0-9+/=]*/g, REDACTED_TEXT],
  // URL credentials: scheme://user:pass@host.
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]*@/gi, `$1${REDACTED_TEXT}@`],
  // Secret-named keys in JSON, util.inspect, query strings, forms and headers, plain or encoded.
  [
    KEY_VALUE,
    (match, quote = "", name = "", separator = "", value = "") => {
      // `Authorization: <scheme> …` lines were handled above; do not cut their scheme.
      if (
        /(authorization|cookie)$/i.test(name) &&
        separator.includes(":") &&
        !/^(\\?"|'|%22)/.test(value)
      ) {
        return match;
      }
      // Prose such as `failed to revoke refresh_token: 503: …` is not a credential: after a bare
      // colon, only a token-length unquoted value (8+ characters) is treated as one.
      if (separator.includes(":") && !/^(\\?"|'|%22)/.test(value) && value.length < 8) {
        return match;
      }
      return `${quote}${name}${quote}${separator}${quotedPlaceholder(value)}`;
    },
  ],
  // OAuth code/state in a URL or form body (not free text such as `exit code=1`).
  [
    URL_PARAM,
    (match, lead = "", name = "", separator = "", _value = "", offset = "", whole = "") => {
      if (lead === "") {
        // At the start of a line only a form body (`code=…&state=…`) counts.
        const after = String(whole).slice(Number(offset) + match.length);
        if (!after.startsWith("&") && !/^%26/i.test(after)) return match;
      }
      return `${lead}${name}${separator}${REDACTED_TEXT}`;
    },
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
    out =
      typeof replacement === "string"
        ? out.replace(pattern, replacement)
        : out.replace(pattern, replacement as (match: string, ...rest: unknown[]) => string);
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
 * instances, secret-shaped strings, errors (message redacted, stack dropped) and binary data
 * (only its length is kept); `Headers` become plain objects, dates ISO strings.
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (Secret.is(value)) return REDACTED_TEXT;
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[Truncated]";
  if (value instanceof URL) return redactUrl(value);
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  // Bytes would otherwise log as one number per byte: the content of a key or a body.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    return `[${value.byteLength} bytes]`;
  }
  if (value instanceof Error) {
    const err: Record<string, unknown> = { name: value.name, message: redactText(value.message) };
    const code = (value as { code?: unknown }).code;
    if (typeof code === "string" || typeof code === "number") err.code = code;
    if (value.cause !== undefined) err.cause = redactValue(value.cause, depth + 1);
    return err;
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  // Headers and other iterables of pairs would otherwise log as `{}`.
  const entries = value instanceof Headers ? [...value.entries()] : Object.entries(value);
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    // Strings and objects under a secret name are dropped; numbers and booleans are counters and
    // flags (`input_tokens: 12`, `hasCode: false`), never credentials.
    const secretShaped = typeof item === "string" || (typeof item === "object" && item !== null);
    out[key] =
      secretShaped && isSensitiveFieldName(key) ? REDACTED_TEXT : redactValue(item, depth + 1);
  }
  return out;
}
