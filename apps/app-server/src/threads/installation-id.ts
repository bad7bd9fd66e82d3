import { randomUUID } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The installation id upstream keeps in `$CODEX_HOME/installation_id` (sent as
 * `x-codex-installation-id`): read when it holds a UUID, else a fresh one written there. A home
 * that cannot be written still gets an id for this process.
 */
export async function loadInstallationId(codexHome: string): Promise<string> {
  const path = join(codexHome, "installation_id");
  try {
    const text = (await readFile(path, "utf8")).trim();
    if (UUID.test(text)) return text.toLowerCase();
  } catch {
    // Missing or unreadable: make one.
  }
  const id = randomUUID();
  try {
    await mkdir(codexHome, { recursive: true });
    await writeFile(path, id, { mode: 0o644 });
  } catch {
    // Read-only home: the id lives for this process only.
  }
  return id;
}
