import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { sendError } from "./http-io.js";

describe("sendError", () => {
  it("types 4xx answers invalid_request_error and 5xx answers server_error", async () => {
    const server = createServer((req, res) => {
      const status = Number(req.url?.slice(1));
      sendError(res, status, "some_code", "what failed");
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const clientError = await fetch(`${base}/400`);
      const serverError = await fetch(`${base}/503`);
      expect(clientError.status).toBe(400);
      expect(await clientError.json()).toEqual({
        error: {
          message: "what failed",
          type: "invalid_request_error",
          param: null,
          code: "some_code",
        },
      });
      expect(serverError.status).toBe(503);
      expect(await serverError.json()).toMatchObject({
        error: { type: "server_error", code: "some_code" },
      });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
