import { compress, init } from "@bokuweb/zstd-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { HttpProblem } from "./http-io.js";
import { decodeRequestBody } from "./request-encoding.js";

beforeAll(async () => {
  await init();
});

const json = Buffer.from(JSON.stringify({ model: "m", input: "ü".repeat(3000) }));

function problem(run: () => unknown): HttpProblem {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpProblem) return error;
    throw error;
  }
  throw new Error("no problem thrown");
}

describe("decodeRequestBody", () => {
  it("passes plain bodies through and decodes zstd ones", () => {
    expect(decodeRequestBody(undefined, json, 1 << 20)).toBe(json);
    expect(decodeRequestBody("identity", json, 1 << 20)).toBe(json);
    const zstd = Buffer.from(compress(json, 3));
    expect(zstd.length).toBeLessThan(json.length);
    expect(decodeRequestBody("zstd", zstd, 1 << 20).equals(json)).toBe(true);
    expect(decodeRequestBody(" ZSTD ", zstd, 1 << 20).equals(json)).toBe(true);
  });

  it("refuses other encodings, broken frames and bodies that decode past the limit", () => {
    expect(problem(() => decodeRequestBody("gzip", json, 1 << 20)).status).toBe(415);
    expect(problem(() => decodeRequestBody("zstd", json, 1 << 20))).toMatchObject({
      status: 400,
      errorCode: "invalid_content_encoding",
    });
    const zstd = Buffer.from(compress(json, 3));
    expect(problem(() => decodeRequestBody("zstd", zstd, 1024))).toMatchObject({
      status: 413,
      errorCode: "body_too_large",
    });
  });
});
