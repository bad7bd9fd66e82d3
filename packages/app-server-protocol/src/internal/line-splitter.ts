/** Callbacks of {@link LineSplitter}. */
export interface LineSplitterSink {
  /** A complete line (without `\n` and without a trailing `\r`). */
  line(text: string): void;
  /** A line grew past the limit; its bytes are discarded up to the next newline. */
  oversize(limit: number): void;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Splits a byte stream into newline-terminated lines while holding at most `maxLineBytes` bytes:
 * a line that grows past the limit is discarded (reported once) and the splitter skips to the next
 * newline, so a peer that never sends one cannot grow memory without bound.
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  readonly #sink: LineSplitterSink;
  #parts: Buffer[] = [];
  #size = 0;
  #skipping = false;

  constructor(maxLineBytes: number, sink: LineSplitterSink) {
    this.#maxLineBytes = maxLineBytes;
    this.#sink = sink;
  }

  /** Feeds a chunk. */
  push(chunk: Buffer | string): void {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    let start = 0;
    while (start <= bytes.length) {
      const newline = bytes.indexOf(NEWLINE, start);
      if (newline === -1) {
        this.#append(bytes.subarray(start));
        return;
      }
      this.#append(bytes.subarray(start, newline));
      this.#finishLine();
      start = newline + 1;
    }
  }

  /** Flushes a final line that had no newline (the stream ended). */
  end(): void {
    if (this.#size > 0 && !this.#skipping) this.#finishLine();
    this.#parts = [];
    this.#size = 0;
    this.#skipping = false;
  }

  /** Bytes currently buffered (never more than the limit, plus one for a trailing CR). */
  get bufferedBytes(): number {
    return this.#size;
  }

  #append(piece: Buffer): void {
    if (piece.length === 0 || this.#skipping) return;
    // One byte over the limit is allowed only when it is a CR, which a CRLF newline then strips.
    const overflow = this.#size + piece.length - this.#maxLineBytes;
    const trailingCr = overflow === 1 && piece[piece.length - 1] === CARRIAGE_RETURN;
    if (overflow > 0 && !trailingCr) {
      this.#parts = [];
      this.#size = 0;
      this.#skipping = true;
      this.#sink.oversize(this.#maxLineBytes);
      return;
    }
    // Copy: the caller may reuse the chunk's memory.
    this.#parts.push(Buffer.from(piece));
    this.#size += piece.length;
  }

  #finishLine(): void {
    if (this.#skipping) {
      this.#skipping = false;
      return;
    }
    let line = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#size);
    this.#parts = [];
    this.#size = 0;
    if (line.length > 0 && line[line.length - 1] === CARRIAGE_RETURN) {
      line = line.subarray(0, line.length - 1);
    }
    this.#sink.line(line.toString("utf8"));
  }
}
