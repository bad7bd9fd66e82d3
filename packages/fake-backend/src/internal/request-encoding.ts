import { Decompress } from "fzstd";
import { HttpProblem } from "./http-io.js";

/**
 * The body as sent before `Content-Encoding`: as is without one (or `identity`), decoded for
 * `zstd` (what Codex sends with ChatGPT auth to the OpenAI provider), never larger than
 * `limit` bytes once decoded.
 *
 * @throws {HttpProblem} 415 for another encoding, 400 for a zstd body that does not decode,
 * 413 when the decoded body grows past `limit`.
 */
export function decodeRequestBody(
  encoding: string | undefined,
  raw: Buffer,
  limit: number,
): Buffer {
  const name = encoding?.trim().toLowerCase();
  if (name === undefined || name === "" || name === "identity") return raw;
  if (name !== "zstd") {
    throw new HttpProblem(
      415,
      "unsupported_content_encoding",
      "request bodies may only be zstd-compressed",
    );
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const decoder = new Decompress((chunk) => {
    size += chunk.length;
    if (size > limit) {
      throw new HttpProblem(413, "body_too_large", `request body is larger than ${limit} bytes`);
    }
    chunks.push(chunk);
  });
  try {
    decoder.push(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), true);
  } catch (error) {
    if (error instanceof HttpProblem) throw error;
    throw new HttpProblem(400, "invalid_content_encoding", "the zstd request body does not decode");
  }
  return Buffer.concat(chunks);
}
