import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SessionSource } from "../src/index.js";

/** A UUID whose last group is `n` (ordered like `n`). */
export function idFor(n: number): string {
  return `0196b0c2-7d1e-7a3b-9c4d-${n.toString(16).padStart(12, "0")}`;
}

export interface SessionSpec {
  /** Name/folder time (treated as local = UTC here). */
  timeMs: number;
  id: string;
  source?: SessionSource;
  provider?: string | null;
  /** `undefined` → a default message; `null` → no user_message at all (hidden thread). */
  userMessage?: string | null | undefined;
  /** Lines written before the meta line. */
  linesBeforeMeta?: string[];
  /** Lines written between the meta and the user message. */
  linesBeforeUser?: string[];
  cwd?: string;
  archived?: boolean;
}

/** Writes a small rollout file the way the recorder lays it out; returns its path. */
export function writeSession(home: string, s: SessionSpec): string {
  const t = new Date(s.timeMs);
  const y = String(t.getUTCFullYear());
  const m = String(t.getUTCMonth() + 1).padStart(2, "0");
  const d = String(t.getUTCDate()).padStart(2, "0");
  const dir =
    s.archived === true ? join(home, "archived_sessions") : join(home, "sessions", y, m, d);
  mkdirSync(dir, { recursive: true });
  const stamp = t.toISOString().slice(0, 19).replace(/:/g, "-");
  const ts = t.toISOString();
  const meta = {
    timestamp: ts,
    type: "session_meta",
    payload: {
      id: s.id,
      timestamp: ts,
      cwd: s.cwd ?? "/srv",
      originator: "codex_cli_rs",
      cli_version: "0.0.0",
      source: s.source ?? "cli",
      model_provider: s.provider === undefined ? "openai" : s.provider,
      base_instructions: null,
      git: { commit_hash: "abc", branch: "main", repository_url: "https://example.invalid/r" },
    },
  };
  const lines = [...(s.linesBeforeMeta ?? []), JSON.stringify(meta), ...(s.linesBeforeUser ?? [])];
  if (s.userMessage !== null) {
    lines.push(
      JSON.stringify({
        timestamp: ts,
        type: "event_msg",
        payload: {
          type: "user_message",
          message: s.userMessage ?? `task for ${s.id}`,
          images: null,
          local_images: [],
          text_elements: [],
        },
      }),
    );
  }
  const path = join(dir, `rollout-${stamp}-${s.id}.jsonl`);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}
