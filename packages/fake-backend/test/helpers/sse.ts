/** One parsed SSE frame. */
export interface SseFrame {
  readonly event: string | undefined;
  readonly data: Record<string, unknown>;
}

/** Parses a complete SSE body into frames with JSON data. */
export function parseSse(text: string): SseFrame[] {
  const frames: SseFrame[] = [];
  for (const block of text.split("\n\n")) {
    if (block.trim() === "") continue;
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("data: ")) data.push(line.slice(6));
    }
    frames.push({ event, data: JSON.parse(data.join("\n")) as Record<string, unknown> });
  }
  return frames;
}

/** Reads a streamed body until `predicate` holds for the text so far; returns that text. */
export async function readUntil(
  body: ReadableStream<Uint8Array>,
  predicate: (text: string) => boolean,
): Promise<{ text: string; reader: ReadableStreamDefaultReader<Uint8Array> }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!predicate(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return { text, reader };
}

/** The text the deltas of a stream add up to. */
export function deltaText(frames: readonly SseFrame[]): string {
  return frames
    .filter((frame) => frame.data.type === "response.output_text.delta")
    .map((frame) => String(frame.data.delta))
    .join("");
}
