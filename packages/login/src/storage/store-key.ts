import { createHash } from "node:crypto";
import { realpathSync } from "node:fs";

/** Keyring service name used by upstream. */
export const KEYRING_SERVICE = "Codex Auth";

/**
 * The store key upstream uses for a Codex home: `cli|` + the first 16 hex chars of SHA-256 of the
 * canonical path (the raw path when it cannot be canonicalized). It is the keyring account and
 * the key of the in-memory (ephemeral) store.
 *
 * @example
 * ```ts
 * storeKeyForCodexHome("/home/me/.codex"); // "cli|1a2b3c4d5e6f7a8b"
 * ```
 */
export function storeKeyForCodexHome(codexHome: string): string {
  let path = codexHome;
  try {
    path = realpathSync(codexHome);
  } catch {
    // upstream falls back to the raw path
  }
  const hex = createHash("sha256").update(path, "utf8").digest("hex");
  return `cli|${hex.slice(0, 16)}`;
}
