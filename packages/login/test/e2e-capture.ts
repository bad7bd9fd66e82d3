// A Logger that records everything WITHOUT redaction, so tests prove the code under test never
// hands a secret to its logger (a redacting logger would hide such a leak).
// Everything recorded is also teed into the suite capture that the core's secret scanner checks.
import type { LogFields, Logger } from "@codex/wire";
import { capture, captureError } from "./support/capture.js";

export interface CapturedLog {
  readonly lines: string[];
  readonly logger: Logger;
  text(): string;
}

export function captureLogger(): CapturedLog {
  const lines: string[] = [];
  const make = (base: LogFields): Logger => {
    const write = (level: string) => (msg: string, fields?: LogFields) => {
      const line = `${level} ${msg} ${JSON.stringify({ ...base, ...fields })}`;
      lines.push(line);
      capture(line);
    };
    return {
      debug: write("debug"),
      info: write("info"),
      warn: write("warn"),
      error: write("error"),
      child: (fields: LogFields) => make({ ...base, ...fields }),
    };
  };
  return { lines, logger: make({}), text: () => lines.join("\n") };
}

/** Every string form of an error chain: message, name, code, stack, causes. */
export function errorText(err: unknown): string {
  captureError(err);
  const parts: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur !== undefined && cur !== null && depth < 8; depth++) {
    if (cur instanceof Error) {
      parts.push(cur.name, cur.message, cur.stack ?? "", JSON.stringify(cur));
      cur = (cur as { cause?: unknown }).cause;
    } else {
      parts.push(String(cur));
      break;
    }
  }
  return parts.join("\n");
}

/** Asserts that none of `secrets` appears in `text`; returns the offending ones. */
export function leakedSecrets(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => s !== "" && text.includes(s));
}
