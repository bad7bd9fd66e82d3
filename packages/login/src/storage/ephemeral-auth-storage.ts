import type { AuthDotJson } from "../auth-dot-json.js";
import type { AuthCredentialsStoreMode, AuthStorage } from "./auth-storage.js";

const PROCESS_STORE = new Map<string, AuthDotJson>();

/**
 * In-memory store: one process-wide map keyed by the `cli|…` store key. Host-owned tokens
 * (`chatgptAuthTokens`) always live here, whatever the configured mode.
 */
export class EphemeralAuthStorage implements AuthStorage {
  readonly mode: AuthCredentialsStoreMode = "ephemeral";
  /** The process-wide key of this store. */
  readonly key: string;

  constructor(key: string) {
    this.key = key;
  }

  async load(): Promise<AuthDotJson | undefined> {
    return PROCESS_STORE.get(this.key);
  }

  async save(auth: AuthDotJson): Promise<void> {
    PROCESS_STORE.set(this.key, auth);
  }

  async delete(): Promise<boolean> {
    return PROCESS_STORE.delete(this.key);
  }
}
