/**
 * A FIFO with a fixed capacity and one consumer. `push` waits while the queue is full
 * (back-pressure) and waiting pushers are served strictly in call order: a freed slot is handed
 * to the oldest waiter, never to a later caller. `take` waits while the queue is empty.
 */
export class BoundedQueue<T> {
  readonly #items: T[] = [];
  readonly #capacity: number;
  #head = 0;
  readonly #waitingPushers: { item: T; resolve: () => void }[] = [];
  #waitingTaker: ((v: T) => void) | null = null;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): Promise<void> {
    const taker = this.#waitingTaker;
    if (taker !== null) {
      this.#waitingTaker = null;
      taker(item);
      return Promise.resolve();
    }
    if (this.size < this.#capacity && this.#waitingPushers.length === 0) {
      this.#items.push(item);
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.#waitingPushers.push({ item, resolve }));
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
    const waiter = this.#waitingPushers.shift();
    if (waiter !== undefined) {
      this.#items.push(waiter.item);
      waiter.resolve();
    }
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
