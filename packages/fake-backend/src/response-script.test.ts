import { describe, expect, it } from "vitest";
import { FakeBackendError } from "./fake-backend-error.js";
import { type ResponseScript, scripts, validateScript } from "./response-script.js";

describe("scripts", () => {
  it("builds every fault as a valid script", () => {
    const all = [
      scripts.echo(),
      scripts.text("hi", { usage: { inputTokens: 1 }, chunkSize: 1 }),
      scripts.stream([{ type: "created" }], { "x-a": "b" }),
      scripts.failed("insufficient_quota", "no quota"),
      scripts.rateLimited(),
      scripts.serverError(502),
      scripts.unauthorized(),
      scripts.stall("x"),
      scripts.disconnect(),
      scripts.upgradeRequired(),
    ];
    for (const script of all) expect(validateScript(script)).toBe(script);
    expect(scripts.rateLimited({ retryAfterSeconds: 9 })).toMatchObject({
      status: 429,
      retryAfterSeconds: 9,
    });
    expect(scripts.upgradeRequired()).toMatchObject({ kind: "websocket_handshake", status: 426 });
    expect(scripts.disconnect("p")).toEqual({
      kind: "stream",
      steps: [{ type: "created" }, { type: "text_delta", delta: "p" }, { type: "disconnect" }],
    });
  });

  const bad: [string, unknown][] = [
    ["null", null],
    ["a string", "echo"],
    ["unknown kind", { kind: "magic" }],
    ["status out of range", { kind: "status", status: 200 }],
    ["status not an integer", { kind: "status", status: 429.5 }],
    ["negative retry-after", { kind: "status", status: 429, retryAfterSeconds: -1 }],
    ["handshake status 200", { kind: "websocket_handshake", status: 200 }],
    ["steps not an array", { kind: "stream", steps: "x" }],
    ["unknown step", { kind: "stream", steps: [{ type: "teleport" }] }],
    ["step not an object", { kind: "stream", steps: [1] }],
    ["message without text", { kind: "stream", steps: [{ type: "message" }] }],
    ["zero chunk size", { kind: "stream", steps: [{ type: "message", text: "a", chunkSize: 0 }] }],
    ["delta without text", { kind: "stream", steps: [{ type: "text_delta" }] }],
    ["item not an object", { kind: "stream", steps: [{ type: "output_item_done", item: [] }] }],
    ["failed without code", { kind: "stream", steps: [{ type: "failed", message: "m" }] }],
    ["incomplete without reason", { kind: "stream", steps: [{ type: "incomplete" }] }],
    ["event without type", { kind: "stream", steps: [{ type: "event", event: {} }] }],
    [
      "a header value with CRLF",
      { kind: "status", status: 429, headers: { "x-a": "1\r\nx-b: 2" } },
    ],
    [
      "a header name with a space",
      { kind: "websocket_handshake", status: 426, headers: { "x a": "1" } },
    ],
    ["a non-string header value", { kind: "stream", steps: [], headers: { "x-a": 1 } }],
    ["headers not an object", { kind: "status", status: 500, headers: "x-a: 1" }],
    ["a body that is not JSON", { kind: "status", status: 500, body: { n: 10n } }],
    ["a handshake body that is not JSON", { kind: "websocket_handshake", status: 401, body: 1n }],
    [
      "an event that is not JSON",
      { kind: "stream", steps: [{ type: "event", event: { type: "x", n: 1n } }] },
    ],
    [
      "an item that is not JSON",
      { kind: "stream", steps: [{ type: "output_item_done", item: { n: 1n } }] },
    ],
  ];
  it.each(bad)("rejects %s with invalid_script", (_name, script) => {
    let caught: unknown;
    try {
      validateScript(script as ResponseScript);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FakeBackendError);
    expect((caught as FakeBackendError).code).toBe("invalid_script");
    expect((caught as FakeBackendError).name).toBe("FakeBackendError");
  });
});
