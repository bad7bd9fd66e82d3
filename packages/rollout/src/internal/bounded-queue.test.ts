import { describe, expect, it } from "vitest";
import { BoundedQueue } from "./bounded-queue.js";

describe("BoundedQueue", () => {
  it("keeps FIFO order, hands items to a waiting taker, and makes pushers wait when full", async () => {
    const q = new BoundedQueue<number>(2);
    const taken = q.take();
    await q.push(1);
    expect(await taken).toBe(1);
    await q.push(2);
    await q.push(3);
    let thirdDone = false;
    const third = q.push(4).then(() => {
      thirdDone = true;
    });
    await Promise.resolve();
    expect(thirdDone).toBe(false);
    expect(q.size).toBe(2);
    expect(q.peek()).toBe(2);
    expect(q.tryTake()).toBe(2);
    await third;
    expect([await q.take(), await q.take()]).toEqual([3, 4]);
    expect(q.tryTake()).toBeUndefined();
  });

  it("serves waiting pushers strictly in call order", async () => {
    const q = new BoundedQueue<string>(1);
    await q.push("a");
    const waiting = q.push("b");
    expect(q.tryTake()).toBe("a");
    // "b" got the freed slot; a later caller queues behind it even though it calls synchronously.
    const later = q.push("c");
    await waiting;
    expect(q.tryTake()).toBe("b");
    await later;
    expect(q.tryTake()).toBe("c");
  });

  it("removeWhere takes matches from the queue and from waiting pushers, then refills in order", async () => {
    const q = new BoundedQueue<string>(2);
    await q.push("add-1");
    await q.push("flush-1");
    const released: string[] = [];
    const waiting = ["flush-2", "add-2", "add-3"].map((x) =>
      q.push(x).then(() => released.push(x)),
    );
    expect(q.removeWhere((x) => x.startsWith("flush"))).toEqual(["flush-1", "flush-2"]);
    await Promise.all(waiting.slice(0, 2));
    expect(q.size).toBe(2);
    expect(q.tryTake()).toBe("add-1");
    await waiting[2];
    expect(released).toEqual(["flush-2", "add-2", "add-3"]);
    expect([q.tryTake(), q.tryTake(), q.tryTake()]).toEqual(["add-2", "add-3", undefined]);
  });

  it("stays correct across many cycles", async () => {
    const q = new BoundedQueue<number>(3);
    const out: number[] = [];
    const consumer = (async () => {
      for (let i = 0; i < 5000; i++) out.push(await q.take());
    })();
    for (let i = 0; i < 5000; i++) await q.push(i);
    await consumer;
    expect(out).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });
});
