import { STATUS_CODES } from "node:http";
import type { Secret } from "@codex/wire";

/** Removes the request's own secrets from a response body a server might have echoed them in. */
export function scrubEchoedSecrets(text: string, secrets: readonly (Secret | string)[]): string {
  let out = text;
  for (const secret of secrets) {
    const raw = typeof secret === "string" ? secret : secret.reveal();
    if (raw.length >= 4) out = out.split(raw).join("[REDACTED]");
  }
  return out;
}

/** An HTTP status the way upstream prints it (Rust `StatusCode` display): `400 Bad Request`. */
export function statusLine(status: number): string {
  const text = STATUS_CODES[status];
  return text ? `${status} ${text}` : String(status);
}
