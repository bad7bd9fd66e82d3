import { expect, it } from "vitest";
import { LruCache } from "./lru-cache.js";

it("evicts the least recently used entry past capacity", () => {
  const cache = new LruCache<string, number>(2);
  cache.set("a", 1);
  cache.set("b", 2);
  expect(cache.get("a")).toBe(1); // a is now the newest
  cache.set("c", 3); // evicts b
  expect(cache.get("b")).toBeUndefined();
  expect(cache.get("a")).toBe(1);
  expect(cache.get("c")).toBe(3);
  expect(cache.size).toBe(2);
  cache.set("a", 10); // replace without growing
  expect(cache.size).toBe(2);
  expect(cache.get("a")).toBe(10);
  cache.clear();
  expect(cache.size).toBe(0);
  expect(cache.get("a")).toBeUndefined();
});

it("keeps the newest entry when it is read repeatedly", () => {
  const cache = new LruCache<string, number>(2);
  cache.set("a", 1);
  cache.set("b", 2);
  expect(cache.get("b")).toBe(2);
  expect(cache.get("b")).toBe(2);
  cache.set("c", 3); // evicts a, not b
  expect(cache.get("a")).toBeUndefined();
  expect(cache.get("b")).toBe(2);
});
