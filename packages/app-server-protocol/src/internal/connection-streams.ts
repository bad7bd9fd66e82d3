import type { Readable, Writable } from "node:stream";
import { LineSplitter } from "./line-splitter.js";

/** What the peer hears from its pair of streams. */
export interface StreamEvents {
  /** A complete incoming line (without its newline). */
  line(text: string): void;
  /** An incoming line over `limit` bytes was discarded. */
  oversize(limit: number): void;
  /** The input ended cleanly (after its last line was delivered). */
  inputEnded(): void;
  /** The input closed (also after a clean end). */
  inputClosed(): void;
  /** A stream failed or the output closed; `reason` says which. */
  failed(reason: string, cause?: unknown): void;
}

/** The listeners put on the streams; `detach` removes all but the error listeners. */
export interface AttachedStreams {
  detach(): void;
}

/**
 * Hooks newline framing (with the size limit) and the close and error events of `input` and
 * `output` up to `events`.
 */
export function attachStreams(
  input: Readable,
  output: Writable,
  maxMessageBytes: number,
  events: StreamEvents,
): AttachedStreams {
  const listeners: Array<[Readable | Writable, string, (...args: never[]) => void]> = [];
  const listen = (
    stream: Readable | Writable,
    event: string,
    handler: (...args: never[]) => void,
  ): void => {
    stream.on(event, handler as (...args: unknown[]) => void);
    listeners.push([stream, event, handler]);
  };
  const splitter = new LineSplitter(maxMessageBytes, {
    line: (text) => events.line(text),
    oversize: (limit) => events.oversize(limit),
  });
  listen(input, "data", (chunk: Buffer | string) => splitter.push(chunk));
  listen(input, "end", () => {
    splitter.end();
    events.inputEnded();
  });
  listen(input, "close", () => events.inputClosed());
  listen(input, "error", (error: Error) => events.failed("input stream failed", error));
  listen(output, "close", () => events.failed("output stream closed"));
  listen(output, "error", (error: Error) => events.failed("output stream failed", error));
  return {
    detach: () => {
      for (const [stream, event, handler] of listeners) {
        if (event !== "error") stream.off(event, handler as (...args: unknown[]) => void);
      }
    },
  };
}

/** Writes `line` and its newline; a write that throws or fails calls `onError`. */
export function writeLine(output: Writable, line: string, onError: (error: unknown) => void): void {
  try {
    output.write(`${line}\n`, (error) => {
      if (error) onError(error);
    });
  } catch (error) {
    onError(error);
  }
}
