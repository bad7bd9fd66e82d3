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

  /**
   * Removes every queued or waiting item that matches, in queue order (a waiting pusher whose
   * item is removed is released); freed slots go to the oldest remaining waiters.
   */
  removeWhere(match: (item: T) => boolean): T[] {
    const removed: T[] = [];
    const kept: T[] = [];
    for (let i = this.#head; i < this.#items.length; i++) {
      const item = this.#items[i] as T;
      (match(item) ? removed : kept).push(item);
    }
    this.#items.length = 0;
    this.#items.push(...kept);
    this.#head = 0;
    for (let i = 0; i < this.#waitingPushers.length; ) {
      const w = this.#waitingPushers[i] as { item: T; resolve: () => void };
      if (match(w.item)) {
        this.#waitingPushers.splice(i, 1);
        removed.push(w.item);
        w.resolve();
      } else i++;
    }
    while (this.size < this.#capacity) {
      const w = this.#waitingPushers.shift();
      if (w === undefined) break;
      this.#items.push(w.item);
      w.resolve();
    }
    return removed;
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
