import { describe, expect, it } from "vitest";
import { createLogger, type LogRecord, silentLogger } from "./logger.js";
import { Secret } from "./secret.js";

describe("createLogger", () => {
  it("filters by level, merges child bindings and redacts message and fields", () => {
    const records: LogRecord[] = [];
    const log = createLogger({
      level: "info",
      sink: (r) => records.push(r),
      now: () => new Date("2026-01-02T03:04:05.000Z"),
    }).child({ component: "login" });
    log.debug("hidden");
    log.info("refresh with Bearer abc123", { refresh_token: "rt", token: new Secret("t"), n: 1 });
    expect(records).toEqual([
      {
        level: "info",
        time: "2026-01-02T03:04:05.000Z",
        msg: "refresh with Bearer [REDACTED]",
        fields: { component: "login", refresh_token: "[REDACTED]", token: "[REDACTED]", n: 1 },
      },
    ]);
  });

  it("writes JSON lines to stderr by default", () => {
    const writes: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      writes.push(chunk);
      return true;
    }) as typeof process.stderr.write;
    try {
      createLogger().warn("careful", { api_key: "k", level: "debug", msg: "spoofed" });
    } finally {
      process.stderr.write = original;
    }
    expect(writes).toHaveLength(1);
    expect(JSON.parse(writes[0] ?? "")).toMatchObject({
      level: "warn",
      msg: "careful",
      api_key: "[REDACTED]",
    });
  });

  it("silentLogger drops everything, including from children", () => {
    expect(() => silentLogger.child({ a: 1 }).error("x")).not.toThrow();
    expect(silentLogger.child({})).toBe(silentLogger);
  });
});
