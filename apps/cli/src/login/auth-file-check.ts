/**
 * What `codex login status` needs from an auth.json, checked the way upstream 0.169 deserialises it
 * (serde, `AuthDotJson`), so a bad file gets upstream's exact text:
 * - a syntax error keeps serde_json's message: `EOF while parsing a string at line 5 column 11`;
 * - a data error (wrong type, missing field, bad id token, bad `last_refresh`, bad `agent_identity`)
 *   is `invalid credential JSON (Data at line L column C)` at the position serde reports.
 * Observed on the real binary (`shared/upstream/login-0169.md` §2.2, §4); the rarer shapes
 * (claims of the wrong type inside an id token, structs written as arrays) may differ in position.
 * No value of the file ever reaches a message.
 */
import { type JsonNode, parseSerdeJson, serdePosition } from "./serde-json.js";

/** The auth modes 0.169 reads (§2.2). */
const AUTH_MODES = new Set([
  "apikey",
  "chatgpt",
  "chatgptAuthTokens",
  "agentIdentity",
  "personalAccessToken",
  "bedrockApiKey",
  "bedrockAccessKeys",
  "headers",
]);

/** What the status command prints from. */
export interface StatusAuth {
  /** `auth_mode` as written, undefined when absent or null. */
  readonly authMode: string | undefined;
  readonly apiKey: string | null;
  /** The `agent_identity` member: a record (with its task id, if any), the JWT form, or none. */
  readonly agentIdentity: { readonly taskId: string | undefined } | "jwt" | undefined;
}

export type AuthFileCheck =
  | { readonly ok: true; readonly auth: StatusAuth }
  /** `message` is what follows `failed to deserialize CLI auth from file: `. */
  | { readonly ok: false; readonly message: string };

type ObjectNode = Extract<JsonNode, { kind: "object" }>;

interface Failure {
  /** "data" → redacted form; "syntax" → serde's message. */
  readonly kind: "data" | "syntax";
  readonly message: string;
  readonly index: number;
}

class Found extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

const complete = (node: JsonNode): boolean => node.end >= 0;

class Checker {
  constructor(readonly bytes: Uint8Array) {}

  data(index: number): never {
    throw new Found({ kind: "data", message: "", index });
  }
  /** Invalid type: serde reports after the value, or before it for a map or a list. */
  wrongType(node: JsonNode): never {
    return this.data(node.kind === "object" || node.kind === "array" ? node.start : node.end);
  }
  /** An error serde creates without a position: fixed where the enclosing struct ends. */
  afterValue(node: JsonNode): never {
    let i = node.end;
    while (i < this.bytes.length && [0x20, 0x09, 0x0a, 0x0d].includes(this.bytes[i] as number)) i++;
    if (this.bytes[i] === 0x7d) i++;
    return this.data(i);
  }

  string(node: JsonNode, nullable: boolean): string | null {
    if (!complete(node)) return null;
    if (node.kind === "string") return node.value;
    if (nullable && node.kind === "null") return null;
    return this.wrongType(node);
  }

  /** Visits the entries in file order; duplicate known keys are data errors at the key. */
  fields(
    obj: ObjectNode,
    known: readonly string[],
    visit: (key: string, value: JsonNode) => void,
  ): Set<string> {
    const seen = new Set<string>();
    for (const { key, keyEnd, value } of obj.entries) {
      if (!known.includes(key)) continue;
      if (seen.has(key)) this.data(keyEnd);
      seen.add(key);
      visit(key, value);
    }
    return seen;
  }

  missing(obj: ObjectNode, seen: Set<string>, required: readonly string[]): void {
    if (!complete(obj)) return;
    if (required.some((k) => !seen.has(k))) this.data(obj.end);
  }

  authMode(node: JsonNode): string | undefined {
    if (!complete(node) || node.kind === "null") return undefined;
    if (node.kind === "string") {
      if (!AUTH_MODES.has(node.value)) this.data(node.end);
      return node.value;
    }
    if (node.kind === "object") {
      const [only, ...rest] = node.entries;
      if (
        only === undefined ||
        rest.length > 0 ||
        !AUTH_MODES.has(only.key) ||
        only.value.kind !== "null"
      ) {
        this.data(node.end);
      }
      return only?.key;
    }
    // serde_json's deserialize_enum on anything but a string or a map: a syntax-class error
    throw new Found({ kind: "syntax", message: "expected value", index: node.start + 1 });
  }

  idToken(node: JsonNode): void {
    const raw = this.string(node, false);
    if (raw === null) return;
    const parts = raw.split(".");
    const bad = (): never => this.data(node.end);
    if (parts.length !== 3 || parts.some((p) => p === "")) bad();
    const payload = parts[1] as string;
    if (!/^[A-Za-z0-9_-]+$/.test(payload) || payload.length % 4 === 1) bad();
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    } catch {
      bad();
    }
    if (typeof claims !== "object" || claims === null) bad();
    if (!Array.isArray(claims)) {
      const c = claims as Record<string, unknown>;
      if (c.email !== undefined && c.email !== null && typeof c.email !== "string") bad();
      const auth = c["https://api.openai.com/auth"];
      if (auth !== undefined && auth !== null && (typeof auth !== "object" || Array.isArray(auth)))
        bad();
    }
  }

  provenance(node: JsonNode): void {
    if (!complete(node) && node.kind !== "object") return;
    if (node.kind === "null") return;
    if (node.kind !== "object") this.wrongType(node);
    const seen = this.fields(node, ["issuer", "client_id"], (_k, v) => this.string(v, false));
    this.missing(node, seen, ["issuer", "client_id"]);
  }

  tokens(node: JsonNode): void {
    if (node.kind === "null") return;
    if (node.kind !== "object") {
      if (complete(node)) this.data(node.end);
      return;
    }
    const known = [
      "id_token",
      "access_token",
      "refresh_token",
      "account_id",
      "oauth_provenance",
      "login_owner_id",
    ];
    const seen = this.fields(node, known, (key, value) => {
      if (key === "id_token") this.idToken(value);
      else if (key === "oauth_provenance") this.provenance(value);
      else this.string(value, key === "account_id" || key === "login_owner_id");
    });
    this.missing(node, seen, ["id_token", "access_token", "refresh_token"]);
  }

  lastRefresh(node: JsonNode): void {
    const raw = this.string(node, true);
    if (raw === null) return;
    const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
    if (!rfc3339.test(raw) || Number.isNaN(Date.parse(raw.replace(" ", "T")))) this.data(node.end);
  }

  agentIdentity(node: JsonNode): StatusAuth["agentIdentity"] {
    if (!complete(node)) return undefined;
    if (node.kind === "null") return undefined;
    if (node.kind === "string") return "jwt";
    if (node.kind !== "object") return this.afterValue(node);
    const value = new Map(node.entries.map((e) => [e.key, e.value]));
    const str = (k: string, optional: boolean): boolean => {
      const v = value.get(k);
      if (v === undefined) return optional;
      return v.kind === "string" || (optional && v.kind === "null");
    };
    const ok =
      ["agent_runtime_id", "agent_private_key", "account_id", "chatgpt_user_id", "plan_type"].every(
        (k) => str(k, false),
      ) &&
      value.get("chatgpt_account_is_fedramp")?.kind === "bool" &&
      str("email", true) &&
      str("task_id", true);
    if (!ok) this.afterValue(node);
    const task = value.get("task_id");
    return { taskId: task?.kind === "string" ? task.value : undefined };
  }

  root(root: JsonNode): StatusAuth {
    if (root.kind !== "object") {
      if (root.kind === "array") {
        const first = root.items[0];
        if (
          first !== undefined &&
          first.kind !== "string" &&
          first.kind !== "null" &&
          first.kind !== "object"
        ) {
          throw new Found({ kind: "syntax", message: "expected value", index: first.start + 1 });
        }
      }
      if (complete(root)) this.data(root.end);
      return { authMode: undefined, apiKey: null, agentIdentity: undefined };
    }
    let authMode: string | undefined;
    let apiKey: string | null = null;
    let agentIdentity: StatusAuth["agentIdentity"];
    const known = ["auth_mode", "OPENAI_API_KEY", "tokens", "last_refresh", "agent_identity"];
    this.fields(root, known, (key, value) => {
      if (key === "auth_mode") authMode = this.authMode(value);
      else if (key === "OPENAI_API_KEY") apiKey = this.string(value, true);
      else if (key === "tokens") this.tokens(value);
      else if (key === "last_refresh") this.lastRefresh(value);
      else agentIdentity = this.agentIdentity(value);
    });
    return { authMode, apiKey, agentIdentity };
  }
}

/** Checks an auth.json's bytes as 0.169 reads them. */
export function checkAuthFile(bytes: Uint8Array): AuthFileCheck {
  const { root, error } = parseSerdeJson(bytes);
  const checker = new Checker(bytes);
  let failure: Failure | undefined;
  let auth: StatusAuth | undefined;
  try {
    if (root !== undefined) auth = checker.root(root);
  } catch (err) {
    if (!(err instanceof Found)) throw err;
    failure = err.failure;
  }
  if (error !== undefined && (failure === undefined || error.index < failure.index)) {
    failure = { kind: "syntax", message: error.message, index: error.index };
  }
  if (failure !== undefined) {
    const { line, column } = serdePosition(bytes, failure.index);
    const where = `line ${line} column ${column}`;
    return {
      ok: false,
      message:
        failure.kind === "data"
          ? `invalid credential JSON (Data at ${where})`
          : `${failure.message} at ${where}`,
    };
  }
  return { ok: true, auth: auth as StatusAuth };
}
