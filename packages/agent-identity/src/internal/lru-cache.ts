/** A small bounded map that forgets the least recently used entry first. */
export class LruCache<K, V> {
  readonly #capacity: number;
  readonly #map = new Map<K, V>();
  #newest: K | undefined;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined && key !== this.#newest) {
      // Re-insert so iteration order reflects recency.
      this.#map.delete(key);
      this.#map.set(key, value);
      this.#newest = key;
    }
    return value;
  }

  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    this.#newest = key;
    while (this.#map.size > this.#capacity) {
      const oldest = this.#map.keys().next();
      if (oldest.done) break;
      this.#map.delete(oldest.value);
    }
  }

  clear(): void {
    this.#map.clear();
    this.#newest = undefined;
  }

  get size(): number {
    return this.#map.size;
  }
}
