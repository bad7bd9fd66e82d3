import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { apiKeyAuth, ModelClient, ModelClientError } from "../src/index.js";

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A 127.0.0.1 server that streams one delta per `everyMs` until the client goes away. */
async function endlessStream(everyMs: number): Promise<{ url: string; closed: Promise<number> }> {
  let resolveClosed: (written: number) => void = () => {};
  const closed = new Promise<number>((resolve) => {
    resolveClosed = resolve;
  });
  server = createServer((req, res: ServerResponse) => {
    req.resume();
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write(`data: ${JSON.stringify({ type: "response.created", response: {} })}\n\n`);
    let written = 0;
    const timer = setInterval(() => {
      written++;
      res.write(`data: ${JSON.stringify({ type: "response.output_text.delta", delta: "x" })}\n\n`);
    }, everyMs);
    res.on("close", () => {
      clearInterval(timer);
      resolveClosed(written);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, closed };
}

function client(baseUrl: string): ModelClient {
  return new ModelClient({
    provider: { name: "local", baseUrl },
    sessionId: "S",
    threadId: "T",
    installationId: "1111",
    auth: apiKeyAuth("sk-local"),
    env: {},
  });
}

const prompt = { input: [{ type: "message", role: "user", content: [] }] };

describe("cancellation on a real socket", () => {
  it("breaking out of the loop closes the connection", async () => {
    const { url, closed } = await endlessStream(2);
    let deltas = 0;
    for await (const event of client(url).newSession().stream(prompt, { model: "m" })) {
      if (event.type === "output_text_delta" && ++deltas === 3) break;
    }
    // The server sees the client leave; without the cancel it would stream forever.
    await expect(closed).resolves.toBeGreaterThanOrEqual(3);
  });

  it("aborting the signal closes the connection and ends the stream with aborted", async () => {
    const { url, closed } = await endlessStream(2);
    const controller = new AbortController();
    let caught: unknown;
    try {
      for await (const event of client(url)
        .newSession()
        .stream(prompt, { model: "m" }, { signal: controller.signal })) {
        if (event.type === "output_text_delta") controller.abort();
      }
    } catch (error) {
      caught = error;
    }
    expect(ModelClientError.is(caught) && caught.code).toBe("aborted");
    await expect(closed).resolves.toBeGreaterThanOrEqual(1);
  });
});
