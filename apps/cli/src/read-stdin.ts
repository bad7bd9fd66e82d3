/** Reads a stream to its end as UTF-8 text (bounded: an API key is small). */
export async function readAllText(
  stream: NodeJS.ReadableStream,
  maxBytes = 1024 * 1024,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > maxBytes) throw new Error(`more than ${maxBytes} bytes on stdin`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}
