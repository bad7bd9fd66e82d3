import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { LoginError } from "../errors.js";
import {
  bindLoginServer,
  DEFAULT_BIND_RETRY,
  loginPortCandidates,
  sendCancelRequest,
} from "./loopback-port.js";

describe("loginPortCandidates", () => {
  it("adds 1457 after 1455 only", () => {
    expect(loginPortCandidates(1455)).toEqual([1455, 1457]);
    expect(loginPortCandidates(1455, null)).toEqual([1455]);
    expect(loginPortCandidates(0)).toEqual([0]);
    expect(loginPortCandidates(4000, 4001)).toEqual([4000, 4001]);
    expect(loginPortCandidates(4000, 4000)).toEqual([4000]);
  });
  it("uses upstream's retry policy", () => {
    expect(DEFAULT_BIND_RETRY).toEqual({ attempts: 10, delayMs: 200, cancelTimeoutMs: 2000 });
  });
});

describe("bindLoginServer", () => {
  it("sends one /cancel with Connection: close to the busy port, then retries", async () => {
    const seen: Array<{
      url?: string | undefined;
      connection?: string | undefined;
      host?: string | undefined;
    }> = [];
    const occupant = createServer((req, res) => {
      seen.push({ url: req.url, connection: req.headers.connection, host: req.headers.host });
      res.end("ok");
    });
    await new Promise<void>((r) => occupant.listen(0, "127.0.0.1", () => r()));
    const port = (occupant.address() as { port: number }).port;
    const mine = createServer();
    let sleeps = 0;
    try {
      const err = await bindLoginServer(mine, {
        host: "127.0.0.1",
        port,
        fallbackPort: null,
        retry: { attempts: 3, delayMs: 0, cancelTimeoutMs: 2000 },
        sleep: async () => {
          sleeps++;
        },
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LoginError);
      expect((err as LoginError).code).toBe("port_in_use");
      expect(seen).toEqual([{ url: "/cancel", connection: "close", host: `127.0.0.1:${port}` }]);
      expect(sleeps).toBe(3);
    } finally {
      await new Promise((r) => occupant.close(r));
    }
  });

  it("binds an OS-chosen port for 0", async () => {
    const s = createServer();
    const port = await bindLoginServer(s, {
      host: "127.0.0.1",
      port: 0,
      retry: DEFAULT_BIND_RETRY,
      sleep: async () => {},
    });
    expect(port).toBeGreaterThan(0);
    await new Promise((r) => s.close(r));
  });

  it("ignores a refused /cancel", async () => {
    await expect(sendCancelRequest("127.0.0.1", 1, 100)).resolves.toBeUndefined();
  });
});
