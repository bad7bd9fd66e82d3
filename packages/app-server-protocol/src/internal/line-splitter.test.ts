import { describe, expect, it } from "vitest";
import { LineSplitter } from "./line-splitter.js";

function collect(max: number) {
  const lines: string[] = [];
  const oversize: number[] = [];
  const splitter = new LineSplitter(max, {
    line: (text) => lines.push(text),
    oversize: (limit) => oversize.push(limit),
  });
  return { splitter, lines, oversize };
}

describe("LineSplitter", () => {
  it("splits on newlines across arbitrary chunk boundaries and strips a trailing CR", () => {
    const { splitter, lines } = collect(1024);
    splitter.push('{"a":1}\n{"b"');
    splitter.push(":2}\r\n");
    splitter.push(Buffer.from("x\ny\n"));
    expect(lines).toEqual(['{"a":1}', '{"b":2}', "x", "y"]);
  });

  it("reassembles a multi-byte character split between chunks", () => {
    const { splitter, lines } = collect(1024);
    const bytes = Buffer.from("héllo\n", "utf8");
    splitter.push(bytes.subarray(0, 2));
    splitter.push(bytes.subarray(2));
    expect(lines).toEqual(["héllo"]);
  });

  it("flushes a final unterminated line at end of stream", () => {
    const { splitter, lines } = collect(1024);
    splitter.push("last");
    splitter.end();
    expect(lines).toEqual(["last"]);
  });

  it("discards an oversize line, reports it once, and resumes after the next newline", () => {
    const { splitter, lines, oversize } = collect(10);
    splitter.push("0123456789A");
    splitter.push("more bytes");
    splitter.push("and more\nok\n");
    expect(lines).toEqual(["ok"]);
    expect(oversize).toEqual([10]);
  });

  it("holds at most the limit in memory when no newline ever arrives", () => {
    const { splitter, oversize } = collect(1000);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    for (let i = 0; i < 200; i++) {
      splitter.push(chunk);
      expect(splitter.bufferedBytes).toBeLessThanOrEqual(1000);
    }
    expect(oversize).toEqual([1000]);
  });

  it("accepts a line of exactly the limit", () => {
    const { splitter, lines, oversize } = collect(5);
    splitter.push("12345\n123456\n");
    expect(lines).toEqual(["12345"]);
    expect(oversize).toEqual([5]);
  });

  it("accepts a CRLF-terminated line of exactly the limit, even with the CR in its own chunk", () => {
    const { splitter, lines, oversize } = collect(5);
    splitter.push("12345\r\n");
    splitter.push("12345\r");
    splitter.push("\n");
    splitter.push("1234\r5\n");
    splitter.push("12345\rx\n");
    splitter.push("ok\r\n");
    expect(lines).toEqual(["12345", "12345", "ok"]);
    expect(oversize).toEqual([5, 5]);
  });

  it("copies chunk bytes, so a reused buffer does not corrupt a pending line", () => {
    const { splitter, lines } = collect(100);
    const reused = Buffer.from("abc");
    splitter.push(reused);
    reused.write("zzz");
    splitter.push("\n");
    expect(lines).toEqual(["abc"]);
  });
});
