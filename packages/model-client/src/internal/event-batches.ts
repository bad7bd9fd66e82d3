/**
 * Hands out the items of a generator of batches one by one. The reader parses a whole network
 * chunk into one batch, so the consumer pays one promise per event instead of a generator resume
 * per event per layer. `return()` (a `break` in `for await`) ends the source at once, which
 * runs its cleanup (cancel the read, trace the cancel).
 */
export function flattenBatches<T>(
  source: AsyncGenerator<readonly T[], void, undefined>,
): AsyncIterableIterator<T> {
  let buffer: readonly T[] = [];
  let index = 0;
  const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
  const iterator: AsyncIterableIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      while (index >= buffer.length) {
        const step = await source.next();
        if (step.done === true) return done;
        buffer = step.value;
        index = 0;
      }
      return { done: false, value: buffer[index++] as T };
    },
    async return(): Promise<IteratorResult<T>> {
      buffer = [];
      index = 0;
      await source.return(undefined);
      return done;
    },
    async throw(error?: unknown): Promise<IteratorResult<T>> {
      buffer = [];
      index = 0;
      await source.return(undefined);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
