/**
 * A small JSON reader that fails the way Rust's serde_json does, so `codex login status` can print
 * upstream's exact text for a corrupt auth.json (`EOF while parsing a string at line 5 column 11`).
 *
 * It reads bytes (serde_json's columns count bytes), keeps each value's byte range, and stops at
 * the first syntax error with serde_json's message and position. A value that was complete before
 * the error is kept in the partial tree, so a data error that serde would have met first can
 * still win (see ./auth-file-check.ts).
 */

export type JsonNode =
  | {
      readonly kind: "null" | "bool" | "number";
      readonly start: number;
      end: number;
      readonly value: unknown;
    }
  | { readonly kind: "string"; readonly start: number; end: number; value: string }
  | { readonly kind: "array"; readonly start: number; end: number; readonly items: JsonNode[] }
  | {
      readonly kind: "object";
      readonly start: number;
      /** Index after the closing brace; -1 while incomplete. */
      end: number;
      readonly entries: {
        readonly key: string;
        readonly keyEnd: number;
        readonly value: JsonNode;
      }[];
    };

/** A serde_json syntax error: message and the byte index its position is computed from. */
export interface SerdeSyntaxError {
  readonly message: string;
  readonly index: number;
}

export interface SerdeParseResult {
  /** The (possibly partial) top-level value; undefined when nothing was read. */
  readonly root: JsonNode | undefined;
  readonly error: SerdeSyntaxError | undefined;
}

/** `line L column C` of serde_json for a position given as "bytes consumed". */
export function serdePosition(bytes: Uint8Array, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const stop = Math.min(index, bytes.length);
  for (let i = 0; i < stop; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: stop - lineStart };
}

class Stop extends Error {
  constructor(readonly syntax: SerdeSyntaxError) {
    super(syntax.message);
  }
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const DIGIT = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;
const HEX = /^[0-9a-fA-F]$/;

class Reader {
  index = 0;
  root: JsonNode | undefined;
  readonly #decoder = new TextDecoder("utf-8", { fatal: false });

  constructor(readonly bytes: Uint8Array) {}

  peek(): number | undefined {
    return this.bytes[this.index];
  }
  /** error(): position = bytes consumed so far. */
  error(message: string): never {
    throw new Stop({ message, index: this.index });
  }
  /** peek_error(): position includes the byte being looked at. */
  peekError(message: string): never {
    throw new Stop({ message, index: Math.min(this.bytes.length, this.index + 1) });
  }
  whitespace(): number | undefined {
    while (this.index < this.bytes.length && WS.has(this.bytes[this.index] as number)) this.index++;
    return this.peek();
  }

  /** Reads one value; `attach` receives a container as soon as it opens (children still coming). */
  value(attach: (node: JsonNode) => void = () => {}): JsonNode {
    const b = this.whitespace();
    if (b === undefined) this.peekError("EOF while parsing a value");
    const start = this.index;
    switch (b) {
      case 0x6e: // n
        this.ident("null");
        return { kind: "null", start, end: this.index, value: null };
      case 0x74: // t
        this.ident("true");
        return { kind: "bool", start, end: this.index, value: true };
      case 0x66: // f
        this.ident("false");
        return { kind: "bool", start, end: this.index, value: false };
      case 0x22: {
        this.index++;
        const value = this.string();
        return { kind: "string", start, end: this.index, value };
      }
      case 0x5b:
        return this.array(start, attach);
      case 0x7b:
        return this.object(start, attach);
      default:
        if (b === 0x2d || DIGIT(b)) {
          const value = this.number();
          return { kind: "number", start, end: this.index, value };
        }
        return this.peekError("expected value");
    }
  }

  ident(word: string): void {
    this.index++;
    for (let i = 1; i < word.length; i++) {
      const b = this.bytes[this.index];
      if (b === undefined) this.error("EOF while parsing a value");
      this.index++;
      if (b !== word.charCodeAt(i)) this.error("expected ident");
    }
  }

  number(): number {
    const start = this.index;
    if (this.peek() === 0x2d) this.index++;
    const first = this.bytes[this.index];
    if (first === undefined) this.error("EOF while parsing a value");
    this.index++;
    if (first === 0x30) {
      if (DIGIT(this.peek())) this.peekError("invalid number");
    } else if (!DIGIT(first)) {
      this.error("invalid number");
    } else {
      while (DIGIT(this.peek())) this.index++;
    }
    if (this.peek() === 0x2e) {
      this.index++;
      if (!DIGIT(this.peek())) {
        if (this.peek() === undefined) this.peekError("EOF while parsing a value");
        this.peekError("invalid number");
      }
      while (DIGIT(this.peek())) this.index++;
    }
    if (this.peek() === 0x65 || this.peek() === 0x45) {
      this.index++;
      if (this.peek() === 0x2b || this.peek() === 0x2d) this.index++;
      const d = this.bytes[this.index];
      if (d === undefined) this.error("EOF while parsing a value");
      this.index++;
      if (!DIGIT(d)) this.error("invalid number");
      while (DIGIT(this.peek())) this.index++;
    }
    return Number(this.#decoder.decode(this.bytes.subarray(start, this.index)));
  }

  /** After the opening quote; leaves the index after the closing quote. */
  string(): string {
    const parts: number[] = [];
    for (;;) {
      const b = this.bytes[this.index];
      if (b === undefined) this.error("EOF while parsing a string");
      this.index++;
      if (b === 0x22) break;
      if (b === 0x5c) {
        const e = this.bytes[this.index];
        if (e === undefined) this.error("EOF while parsing a string");
        this.index++;
        const simple: Record<number, number> = {
          34: 0x22,
          92: 0x5c,
          47: 0x2f,
          98: 0x08,
          102: 0x0c,
          110: 0x0a,
          114: 0x0d,
          116: 0x09,
        };
        const mapped = simple[e];
        if (mapped !== undefined) {
          parts.push(mapped);
        } else if (e === 0x75) {
          let hex = "";
          for (let i = 0; i < 4; i++) {
            const h = this.bytes[this.index];
            if (h === undefined) this.error("EOF while parsing a string");
            this.index++;
            hex += String.fromCharCode(h);
          }
          // serde_json reads the four bytes, then checks them
          if (![...hex].every((c) => HEX.test(c))) this.error("invalid escape");
          for (const byte of Buffer.from(String.fromCharCode(Number.parseInt(hex, 16)), "utf8")) {
            parts.push(byte);
          }
        } else {
          this.error("invalid escape");
        }
        continue;
      }
      if (b < 0x20) this.error("control character (\\u0000-\\u001F) found while parsing a string");
      parts.push(b);
    }
    return this.#decoder.decode(Uint8Array.from(parts));
  }

  array(start: number, attach: (node: JsonNode) => void): JsonNode {
    this.index++;
    const node: JsonNode = { kind: "array", start, end: -1, items: [] };
    this.root ??= node;
    attach(node);
    let first = true;
    for (;;) {
      let b = this.whitespace();
      if (b === 0x5d) break;
      if (b === undefined) this.peekError("EOF while parsing a list");
      if (!first) {
        if (b !== 0x2c) this.peekError("expected `,` or `]`");
        this.index++;
        b = this.whitespace();
        if (b === 0x5d) this.peekError("trailing comma");
        if (b === undefined) this.peekError("EOF while parsing a value");
      }
      first = false;
      const item = this.value((open) => node.items.push(open));
      if (item.kind !== "array" && item.kind !== "object") node.items.push(item);
    }
    this.index++;
    node.end = this.index;
    return node;
  }

  object(start: number, attach: (node: JsonNode) => void): JsonNode {
    this.index++;
    const node: Extract<JsonNode, { kind: "object" }> = {
      kind: "object",
      start,
      end: -1,
      entries: [],
    };
    this.root ??= node;
    attach(node);
    let first = true;
    for (;;) {
      let b = this.whitespace();
      if (b === 0x7d) break;
      if (b === undefined) this.peekError("EOF while parsing an object");
      if (!first) {
        if (b !== 0x2c) this.peekError("expected `,` or `}`");
        this.index++;
        b = this.whitespace();
      }
      first = false;
      if (b === 0x7d) this.peekError("trailing comma");
      if (b === undefined) this.peekError("EOF while parsing a value");
      if (b !== 0x22) this.peekError("key must be a string");
      this.index++;
      const key = this.string();
      const keyEnd = this.index;
      const colon = this.whitespace();
      if (colon === undefined) this.peekError("EOF while parsing an object");
      if (colon !== 0x3a) this.peekError("expected `:`");
      this.index++;
      // A container is recorded as soon as it opens, so a partial value is still visible.
      const value = this.value((open) => node.entries.push({ key, keyEnd, value: open }));
      if (value.kind !== "array" && value.kind !== "object")
        node.entries.push({ key, keyEnd, value });
    }
    this.index++;
    node.end = this.index;
    return node;
  }
}

/** Reads `bytes` as serde_json's `from_slice` would (one value, then only whitespace). */
export function parseSerdeJson(bytes: Uint8Array): SerdeParseResult {
  const reader = new Reader(bytes);
  try {
    const root = reader.value();
    const next = reader.whitespace();
    if (next !== undefined) reader.peekError("trailing characters");
    return { root, error: undefined };
  } catch (err) {
    if (err instanceof Stop) return { root: reader.root, error: err.syntax };
    throw err;
  }
}
