const REDACTED = "[REDACTED]";
const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");
// A registered symbol, so a Secret made by another installed copy of this package is still
// recognised (instanceof would fail across copies).
const SECRET_BRAND = Symbol.for("codex.wire.secret");

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
  readonly [SECRET_BRAND] = true;

  /**
   * True for a {@link Secret} from any installed copy of `@codex/wire`. Use it instead of
   * `instanceof`, which fails when two versions of the package are installed side by side.
   */
  static is(value: unknown): value is Secret {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as { [SECRET_BRAND]?: unknown })[SECRET_BRAND] === true &&
      typeof (value as { reveal?: unknown }).reveal === "function"
    );
  }

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
    return Secret.is(other) && other.reveal() === this.#value;
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
