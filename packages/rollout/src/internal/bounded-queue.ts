/**
 * A FIFO with a fixed capacity. `push` waits while the queue is full (back-pressure);
 * `take` waits while it is empty. One consumer.
 */
export class BoundedQueue<T> {
  readonly #items: T[] = [];
  readonly #capacity: number;
  #head = 0;
  readonly #waitingPushers: (() => void)[] = [];
  #waitingTaker: ((v: T) => void) | null = null;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  async push(item: T): Promise<void> {
    while (this.size >= this.#capacity) {
      await new Promise<void>((resolve) => this.#waitingPushers.push(resolve));
    }
    const taker = this.#waitingTaker;
    if (taker !== null) {
      this.#waitingTaker = null;
      taker(item);
      return;
    }
    this.#items.push(item);
  }

  /** Removes and returns the next item without waiting, or `undefined`. */
  tryTake(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.#items[this.#head] as T;
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items.splice(0, this.#head);
      this.#head = 0;
    }
    const pusher = this.#waitingPushers.shift();
    if (pusher !== undefined) pusher();
    return item;
  }

  /** The next item without removing it. */
  peek(): T | undefined {
    return this.size === 0 ? undefined : this.#items[this.#head];
  }

  take(): Promise<T> {
    const item = this.tryTake();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise<T>((resolve) => {
      this.#waitingTaker = resolve;
    });
  }
}
