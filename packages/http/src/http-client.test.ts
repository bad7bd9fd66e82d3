import { getEventListeners } from "node:events";
import { captureLogger } from "@codex/wire/testing";
import { delay, HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HttpError } from "./errors.js";
import { createHttpClient } from "./http-client.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const noSleep = async () => {};

describe("createHttpClient", () => {
  it("sends method, headers, user agent and form body through globalThis.fetch", async () => {
    let seen: { ua: string | null; auth: string | null; body: string; type: string | null } | null =
      null;
    server.use(
      http.post("https://auth.example.test/oauth/token", async ({ request }) => {
        seen = {
          ua: request.headers.get("user-agent"),
          auth: request.headers.get("x-custom"),
          body: await request.text(),
          type: request.headers.get("content-type"),
        };
        return HttpResponse.json({ ok: true });
      }),
    );
    const client = createHttpClient({ userAgent: "codex-test/1.0" });
    const res = await client.requestJson({
      method: "POST",
      url: "https://auth.example.test/oauth/token",
      headers: { "x-custom": "yes" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: "rt" }),
    });
    expect(res).toMatchObject({ status: 200, ok: true, body: { ok: true } });
    expect(seen).toEqual({
      ua: "codex-test/1.0",
      auth: "yes",
      body: "grant_type=refresh_token&refresh_token=rt",
      type: "application/x-www-form-urlencoded;charset=UTF-8",
    });
  });

  it("serializes `json` and sets content-type", async () => {
    server.use(
      http.post("https://api.example.test/echo", async ({ request }) =>
        HttpResponse.json({
          type: request.headers.get("content-type"),
          got: await request.json(),
        }),
      ),
    );
    const res = await createHttpClient().requestJson({
      method: "POST",
      url: "https://api.example.test/echo",
      json: { a: 1 },
    });
    expect(res.body).toEqual({ type: "application/json", got: { a: 1 } });
  });

  it("resolves non-2xx responses instead of throwing", async () => {
    server.use(
      http.get("https://api.example.test/x", () =>
        HttpResponse.json({ error: "no" }, { status: 401 }),
      ),
    );
    const res = await createHttpClient().requestJson({
      method: "GET",
      url: "https://api.example.test/x",
    });
    expect(res).toMatchObject({ status: 401, ok: false, body: { error: "no" } });
  });

  it("rejects a request msw does not handle (nothing slips through to the network)", async () => {
    const error = await createHttpClient()
      .request({ method: "GET", url: "https://unhandled.example.test/" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).code).toBe("network");
  });

  it("maps a network failure to code network", async () => {
    server.use(http.get("https://api.example.test/down", () => HttpResponse.error()));
    await expect(
      createHttpClient().request({ method: "GET", url: "https://api.example.test/down" }),
    ).rejects.toMatchObject({ name: "HttpError", code: "network" });
  });

  it("times out on slow headers with code timeout", async () => {
    server.use(
      http.get("https://api.example.test/slow", async () => {
        await delay("infinite");
        return HttpResponse.text("never");
      }),
    );
    await expect(
      createHttpClient().request({
        method: "GET",
        url: "https://api.example.test/slow",
        timeoutMs: 20,
      }),
    ).rejects.toMatchObject({ code: "timeout" });
  });

  it("reports the caller's abort as code aborted", async () => {
    server.use(
      http.get("https://api.example.test/slow", async () => {
        await delay("infinite");
        return HttpResponse.text("never");
      }),
    );
    const controller = new AbortController();
    const pending = createHttpClient().request({
      method: "GET",
      url: "https://api.example.test/slow",
      signal: controller.signal,
    });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "aborted" });
  });

  it("rejects an already-aborted signal without sending", async () => {
    let calls = 0;
    server.use(
      http.get("https://api.example.test/x", () => {
        calls++;
        return HttpResponse.text("x");
      }),
    );
    await expect(
      createHttpClient().request({
        method: "GET",
        url: "https://api.example.test/x",
        signal: AbortSignal.abort(),
      }),
    ).rejects.toMatchObject({ code: "aborted" });
    expect(calls).toBe(0);
  });

  it("retries 5xx with backoff and replays the body; never retries 429 by default", async () => {
    const bodies: string[] = [];
    let calls = 0;
    server.use(
      http.post("https://api.example.test/flaky", async ({ request }) => {
        bodies.push(await request.text());
        calls++;
        return calls < 3
          ? HttpResponse.text("busy", { status: 503 })
          : HttpResponse.json({ n: calls });
      }),
      http.get("https://api.example.test/limited", () =>
        HttpResponse.text("slow down", { status: 429 }),
      ),
    );
    const delays: number[] = [];
    const client = createHttpClient({
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => 0.5,
    });
    const res = await client.requestJson({
      method: "POST",
      url: "https://api.example.test/flaky",
      body: "payload",
      retry: { maxRetries: 4 },
    });
    expect(res.body).toEqual({ n: 3 });
    expect(bodies).toEqual(["payload", "payload", "payload"]);
    expect(delays).toEqual([200, 400]);

    const limited = await client.request({
      method: "GET",
      url: "https://api.example.test/limited",
      retry: { maxRetries: 3 },
    });
    expect(limited.status).toBe(429);
    expect(delays).toEqual([200, 400]);
  });

  it("honours Retry-After (seconds), capped by maxDelayMs", async () => {
    let calls = 0;
    server.use(
      http.get("https://api.example.test/ra", () => {
        calls++;
        return calls === 1
          ? HttpResponse.text("", { status: 503, headers: { "retry-after": "7" } })
          : calls === 2
            ? HttpResponse.text("", { status: 503, headers: { "retry-after": "99999" } })
            : HttpResponse.text("done");
      }),
    );
    const delays: number[] = [];
    const res = await createHttpClient({
      sleep: async (ms) => {
        delays.push(ms);
      },
    }).request({
      method: "GET",
      url: "https://api.example.test/ra",
      retry: { maxRetries: 2, maxDelayMs: 10_000 },
    });
    expect(await res.text()).toBe("done");
    expect(delays).toEqual([7000, 10_000]);
  });

  it("returns the last 5xx response when retries run out", async () => {
    server.use(
      http.get("https://api.example.test/bad", () => HttpResponse.text("x", { status: 502 })),
    );
    const res = await createHttpClient({ sleep: noSleep }).request({
      method: "GET",
      url: "https://api.example.test/bad",
      retry: { maxRetries: 2 },
    });
    expect(res.status).toBe(502);
  });

  it("retries network errors when the policy allows, and not otherwise", async () => {
    let calls = 0;
    server.use(
      http.get("https://api.example.test/net", () => {
        calls++;
        return calls === 1 ? HttpResponse.error() : HttpResponse.text("ok");
      }),
    );
    const client = createHttpClient({ sleep: noSleep });
    const res = await client.request({
      method: "GET",
      url: "https://api.example.test/net",
      retry: { maxRetries: 1 },
    });
    expect(res.status).toBe(200);
    calls = 0;
    await expect(
      client.request({
        method: "GET",
        url: "https://api.example.test/net",
        retry: { maxRetries: 1, retryOnNetworkError: false },
      }),
    ).rejects.toMatchObject({ code: "network" });
  });

  it("rejects a non-JSON body with invalid_body and never echoes it", async () => {
    server.use(
      http.get("https://api.example.test/html", () =>
        HttpResponse.html("<html>secret-page-content</html>", { status: 500 }),
      ),
    );
    const error = (await createHttpClient()
      .requestJson({ method: "GET", url: "https://api.example.test/html" })
      .catch((e: unknown) => e)) as HttpError;
    expect(error.code).toBe("invalid_body");
    expect(error.status).toBe(500);
    expect(error.message).not.toContain("secret-page-content");
  });

  it("caps body size, by content-length and by streamed bytes", async () => {
    server.use(
      http.get("https://api.example.test/big", () => HttpResponse.text("x".repeat(2048))),
      http.get(
        "https://api.example.test/stream",
        () =>
          new HttpResponse(
            new ReadableStream({
              start(c) {
                for (let i = 0; i < 4; i++) c.enqueue(new Uint8Array(1024));
                c.close();
              },
            }),
          ),
      ),
    );
    const client = createHttpClient({ maxBodyBytes: 1024 });
    await expect(
      client.requestText({ method: "GET", url: "https://api.example.test/big" }),
    ).rejects.toMatchObject({ code: "body_too_large" });
    await expect(
      client.requestText({ method: "GET", url: "https://api.example.test/stream" }),
    ).rejects.toMatchObject({ code: "body_too_large" });
  });

  it("rejects unusable URLs with invalid_request", async () => {
    const client = createHttpClient();
    await expect(client.request({ method: "GET", url: "not a url" })).rejects.toMatchObject({
      code: "invalid_request",
    });
    await expect(
      client.request({ method: "GET", url: "file:///etc/passwd" }),
    ).rejects.toMatchObject({
      code: "invalid_request",
    });
  });

  it("logs attempts with redacted URLs and errors with redacted messages", async () => {
    let authorization: string | null = null;
    server.use(
      http.get("https://api.example.test/cb", ({ request }) => {
        authorization = request.headers.get("authorization");
        return HttpResponse.text("ok");
      }),
    );
    const capture = captureLogger();
    await createHttpClient({ logger: capture.logger }).request({
      method: "GET",
      url: "https://user:hunter2@api.example.test/cb?code=sekrit-code&state=sekrit-state&x=1",
    });
    const error = (await createHttpClient()
      .request({ method: "GET", url: "https://api.example.test/missing?refresh_token=rt-secret" })
      .catch((e: unknown) => e)) as HttpError;
    expect(authorization).toBe(`Basic ${Buffer.from("user:hunter2").toString("base64")}`);
    expect(capture.records).toHaveLength(1);
    const text = capture.text();
    for (const secret of ["hunter2", "sekrit-code", "sekrit-state"]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("x=1");
    expect(error.message).not.toContain("rt-secret");
    expect(error.url).not.toContain("rt-secret");
  });
  it("turns an invalid header into invalid_request without echoing its value", async () => {
    const error = (await createHttpClient()
      .request({
        method: "GET",
        url: "https://api.example.test/x",
        headers: { authorization: "Bearer leaked-tok\nen" },
      })
      .catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.code).toBe("invalid_request");
    expect(`${error.message} ${String(error.cause)}`).not.toContain("leaked-tok");
  });

  it("turns malformed percent-encoding in URL credentials into invalid_request", async () => {
    await expect(
      createHttpClient().request({ method: "GET", url: "https://us%zzer:pw@api.example.test/" }),
    ).rejects.toMatchObject({ name: "HttpError", code: "invalid_request" });
  });

  it("leaves no listener on a long-lived caller signal once request() bodies are read", async () => {
    server.use(http.get("https://api.example.test/many", () => HttpResponse.text("body")));
    const client = createHttpClient();
    const session = new AbortController();
    for (let i = 0; i < 12; i++) {
      const res = await client.request({
        method: "GET",
        url: "https://api.example.test/many",
        signal: session.signal,
      });
      expect(await res.text()).toBe("body");
    }
    const cancelled = await client.request({
      method: "GET",
      url: "https://api.example.test/many",
      signal: session.signal,
    });
    await cancelled.body?.cancel();
    expect(getEventListeners(session.signal, "abort")).toHaveLength(0);
  });

  it("rejects a bad method or a GET body as invalid_request, without sending or retrying", async () => {
    let calls = 0;
    server.use(
      http.all("https://api.example.test/x", () => {
        calls++;
        return HttpResponse.text("x");
      }),
    );
    const delays: number[] = [];
    const client = createHttpClient({ sleep: async (ms) => void delays.push(ms) });
    const bad = [
      { method: "BAD METHOD" as unknown as "GET", url: "https://api.example.test/x" },
      { method: "GET" as const, url: "https://api.example.test/x", body: "payload" },
      { method: "HEAD" as const, url: "https://api.example.test/x", body: "payload" },
    ];
    for (const request of bad) {
      await expect(client.request({ ...request, retry: { maxRetries: 3 } })).rejects.toMatchObject({
        name: "HttpError",
        code: "invalid_request",
      });
    }
    expect(calls).toBe(0);
    expect(delays).toEqual([]);
  });

  it.each([
    ["maxRetries NaN", { retry: { maxRetries: Number.NaN } }],
    ["maxRetries -1", { retry: { maxRetries: -1 } }],
    ["maxRetries 1.5", { retry: { maxRetries: 1.5 } }],
    ["timeoutMs NaN", { timeoutMs: Number.NaN }],
    ["timeoutMs -5", { timeoutMs: -5 }],
  ])("rejects %s as invalid_request before sending", async (_name, extra) => {
    let calls = 0;
    server.use(
      http.get("https://api.example.test/down", () => {
        calls++;
        return HttpResponse.error();
      }),
    );
    const client = createHttpClient({ sleep: noSleep });
    await expect(
      client.request({ method: "GET", url: "https://api.example.test/down", ...extra }),
    ).rejects.toMatchObject({ name: "HttpError", code: "invalid_request" });
    expect(calls).toBe(0);
  });

  it("reads a JSON body that starts with a UTF-8 BOM, as fetch's json() does", async () => {
    server.use(
      http.get(
        "https://api.example.test/bom",
        () =>
          new HttpResponse(
            new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"a":1}')]),
            {
              headers: { "content-type": "application/json" },
            },
          ),
      ),
    );
    const res = await createHttpClient().requestJson({
      method: "GET",
      url: "https://api.example.test/bom",
    });
    expect(res.body).toEqual({ a: 1 });
  });
});
