import { getEventListeners } from "node:events";
import { createServer, type Server } from "node:http";
import { describe, expect, it } from "vitest";
import { createHttpClient } from "../src/http-client.js";
import { listen as listenOnPort } from "./support/loopback.js";

async function listen(server: Server): Promise<string> {
  return `http://127.0.0.1:${await listenOnPort(server)}`;
}

describe("request() streams over a real loopback socket", () => {
  it("lets the caller's signal cancel the body after the headers, then keeps no listener", async () => {
    const origin = await listen(
      createServer((_req, res) => {
        res.writeHead(200, { "content-type": "text/plain" });
        res.write("first");
        // Never ends: only the caller's abort stops this stream.
      }),
    );
    const controller = new AbortController();
    const res = await createHttpClient().request({
      method: "GET",
      url: `${origin}/stream`,
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${origin}/stream`);
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("first");
    const next = reader.read();
    controller.abort();
    await expect(next).rejects.toMatchObject({ name: "AbortError" });
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("releases the caller's signal when a body is read to the end", async () => {
    const origin = await listen(createServer((_req, res) => res.end("whole body")));
    const session = new AbortController();
    const client = createHttpClient();
    for (let i = 0; i < 12; i++) {
      const res = await client.request({ method: "GET", url: origin, signal: session.signal });
      expect(await res.text()).toBe("whole body");
    }
    expect(getEventListeners(session.signal, "abort")).toHaveLength(0);
  });
});
