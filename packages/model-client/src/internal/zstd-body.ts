import { compress, init } from "@bokuweb/zstd-wasm";

/** Compression level of request bodies (zstd's default). */
export const ZSTD_LEVEL = 3;

let ready: Promise<void> | undefined;

/**
 * Compresses a request body as one zstd frame. Node 20's zlib has no zstd, so this uses the
 * WebAssembly build of the reference library, loaded from the package on first use.
 *
 * @throws when the WebAssembly module cannot be loaded (the caller then sends uncompressed).
 */
export async function zstdCompress(data: Uint8Array): Promise<Uint8Array> {
  ready ??= init();
  try {
    await ready;
  } catch (error) {
    ready = undefined;
    throw error;
  }
  return compress(data, ZSTD_LEVEL);
}
