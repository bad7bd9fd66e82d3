/**
 * The exact bytes `serde_json` writes for a `BTreeMap<&str, &str>`: members in sorted key order,
 * no whitespace, non-ASCII as raw UTF-8, `"` and `\` backslash-escaped, control characters as
 * `\b \t \n \f \r` or `\u00xx` (lowercase hex), `/` and DEL unescaped.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to escape
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;
const HEX = "0123456789abcdef";

/** A JSON string literal for `value`, as `serde_json` writes it. */
export function jsonString(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return `"${value}"`;
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += "\\\\";
    else if (c >= 0x20) out += value[i];
    else if (c === 0x08) out += "\\b";
    else if (c === 0x09) out += "\\t";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0c) out += "\\f";
    else if (c === 0x0d) out += "\\r";
    else out += `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
  }
  return `${out}"`;
}

/** The wire members of an `AgentAssertion` envelope. */
export interface AssertionEnvelope {
  agent_runtime_id: string;
  signature: string;
  task_id: string;
  timestamp: string;
}

/** Compact JSON of the envelope, keys sorted (`agent_runtime_id`, `signature`, `task_id`, `timestamp`). */
export function serializeEnvelope(envelope: AssertionEnvelope): string {
  return (
    `{"agent_runtime_id":${jsonString(envelope.agent_runtime_id)}` +
    `,"signature":${jsonString(envelope.signature)}` +
    `,"task_id":${jsonString(envelope.task_id)}` +
    `,"timestamp":${jsonString(envelope.timestamp)}}`
  );
}
