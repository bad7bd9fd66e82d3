const REDACTED = "[REDACTED]";
const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/**
 * A string that must never be printed: its `toString`, `toJSON` and `util.inspect` forms are
 * redacted, and the raw value is only reachable through {@link Secret.reveal}, which callers use
 * at the moment the value goes on the wire.
 *
 * @example
 * ```ts
 * const token = new Secret("sk-live-123");
 * `${token}`;              // "[REDACTED]"
 * JSON.stringify({ token }); // '{"token":"[REDACTED]"}'
 * headers.authorization = `Bearer ${token.reveal()}`;
 * ```
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    if (typeof value !== "string") {
      throw new TypeError("Secret value must be a string");
    }
    this.#value = value;
  }

  /** The raw value. Call it only where the value leaves the process (a header, a request body). */
  reveal(): string {
    return this.#value;
  }

  /** True when the wrapped value is the empty string. */
  get isEmpty(): boolean {
    return this.#value.length === 0;
  }

  /** Compares two secrets without revealing either. */
  equals(other: Secret): boolean {
    return other instanceof Secret && other.#value === this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspectSymbol](): string {
    return `Secret(${REDACTED})`;
  }
}

/** The text every redacted value is replaced with. */
export const REDACTED_TEXT = REDACTED;
