import { X_CODEX_TURN_STATE_HEADER } from "./request-headers.js";

/**
 * The sticky `x-codex-turn-state` of one turn: a set-once cell, the first non-empty value the
 * server sends wins and later ones are ignored.
 */
export class TurnStateCell {
  #value: string | undefined;

  get value(): string | undefined {
    return this.#value;
  }

  /** Keeps `value` unless the cell already holds one (empty values are ignored). */
  set(value: string | undefined): void {
    if (value !== undefined && value !== "" && this.#value === undefined) {
      this.#value = value;
    }
  }

  /** Takes the `x-codex-turn-state` response header, if any. */
  capture(headers: Headers): void {
    this.set(headers.get(X_CODEX_TURN_STATE_HEADER) ?? undefined);
  }
}
