import type { Logger } from "@codex/wire";

/** A set of listeners called in turn; one that throws is logged and the others still run. */
export class Listeners<T> {
  readonly #listeners = new Set<(value: T) => void>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Adds `listener`; returns its removal. */
  add(listener: (value: T) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Calls every listener with `value` (a copy of the set: listeners may unsubscribe). */
  emit(value: T): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(value);
      } catch (err) {
        this.#logger.warn(`auth state listener failed: ${(err as Error).message}`);
      }
    }
  }
}
