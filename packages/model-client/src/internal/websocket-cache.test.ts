import { captureLogger } from "@codex/wire/testing";
import { describe, expect, it } from "vitest";
import { WebsocketCache } from "./websocket-cache.js";
import type { WsConnection } from "./websocket-connection.js";

/** The two members the cache uses of a connection. */
function fakeConnection(): WsConnection & { closed: number } {
  const fake = {
    closed: 0,
    isOpen: true,
    close() {
      fake.closed++;
      fake.isOpen = false;
    },
  };
  return fake as unknown as WsConnection & { closed: number };
}

describe("WebsocketCache", () => {
  it("hands a returned open socket to the next taker, once", () => {
    const cache = new WebsocketCache(captureLogger().logger);
    const socket = fakeConnection();
    cache.give(socket);
    expect(cache.take()).toBe(socket);
    expect(cache.take()).toBeUndefined();
    expect(socket.closed).toBe(0);
  });

  it("closes the older socket when another one is returned, and resets", () => {
    const cache = new WebsocketCache(captureLogger().logger);
    const first = fakeConnection();
    const second = fakeConnection();
    cache.give(first);
    cache.give(second);
    expect(first.closed).toBe(1);
    cache.reset();
    expect(second.closed).toBe(1);
    expect(cache.take()).toBeUndefined();
  });

  it("after the HTTP fallback (logged once) closes what is returned", () => {
    const { logger, records } = captureLogger();
    const cache = new WebsocketCache(logger);
    const cached = fakeConnection();
    cache.give(cached);
    cache.forceHttpFallback();
    cache.forceHttpFallback();
    expect(cache.disabled).toBe(true);
    expect(cached.closed).toBe(1);
    const later = fakeConnection();
    cache.give(later);
    expect(later.closed).toBe(1);
    expect(records.filter((r) => r.msg === "falling back to HTTP")).toHaveLength(1);
  });
});
