/**
 * Strict, canonical base64 (RFC 4648 §4, padded) and base64url (§5, unpadded) codecs.
 *
 * A string is accepted only if encoding the decoded bytes gives back exactly the same string:
 * no whitespace, no foreign alphabet, exact padding, zero trailing bits. This matches the Rust
 * `base64` crate's `STANDARD` and `URL_SAFE_NO_PAD` engines. Node's `Buffer` silently skips junk,
 * so it is not used for decoding.
 */

const STANDARD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function decodeTable(alphabet: string): Int16Array {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) {
    table[alphabet.charCodeAt(i)] = i;
  }
  return table;
}

const STANDARD_DECODE = decodeTable(STANDARD_ALPHABET);
const URL_SAFE_DECODE = decodeTable(URL_SAFE_ALPHABET);

function encodeWith(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let out = "";
  const len = bytes.length;
  let i = 0;
  for (; i + 2 < len; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out +=
      alphabet[(n >>> 18) & 63]! +
      alphabet[(n >>> 12) & 63]! +
      alphabet[(n >>> 6) & 63]! +
      alphabet[n & 63]!;
  }
  const rest = len - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += alphabet[(n >>> 18) & 63]! + alphabet[(n >>> 12) & 63]!;
    if (pad) out += "==";
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += alphabet[(n >>> 18) & 63]! + alphabet[(n >>> 12) & 63]! + alphabet[(n >>> 6) & 63]!;
    if (pad) out += "=";
  }
  return out;
}

/**
 * Checks that `input` is canonical and returns the decoded length, or -1. Allocation-free, so
 * oversized input is rejected without copying it.
 */
function canonicalDecodedLength(input: string, table: Int16Array, padded: boolean): number {
  const len = input.length;
  let dataChars: number;
  if (padded) {
    if (len % 4 !== 0) return -1;
    dataChars = len;
    if (len > 0 && input.charCodeAt(len - 1) === 61) {
      dataChars--;
      if (input.charCodeAt(len - 2) === 61) dataChars--;
    }
  } else {
    if (len % 4 === 1) return -1;
    dataChars = len;
  }
  for (let i = 0; i < dataChars; i++) {
    const c = input.charCodeAt(i);
    if (c >= 128 || table[c]! < 0) return -1;
  }
  const tail = dataChars % 4;
  if (tail === 1) return -1;
  if (tail !== 0) {
    // The bits of the last symbol that do not fill a whole byte must be zero.
    const last = table[input.charCodeAt(dataChars - 1)]!;
    const unusedBits = tail === 2 ? 0x0f : 0x03;
    if ((last & unusedBits) !== 0) return -1;
  }
  return (dataChars >>> 2) * 3 + (tail === 0 ? 0 : tail - 1);
}

function decodeWith(input: string, table: Int16Array, padded: boolean): Uint8Array | undefined {
  const outLen = canonicalDecodedLength(input, table, padded);
  if (outLen < 0) return undefined;
  const out = new Uint8Array(outLen);
  let o = 0;
  let i = 0;
  const fullGroups = Math.floor(outLen / 3);
  for (let g = 0; g < fullGroups; g++, i += 4) {
    const n =
      (table[input.charCodeAt(i)]! << 18) |
      (table[input.charCodeAt(i + 1)]! << 12) |
      (table[input.charCodeAt(i + 2)]! << 6) |
      table[input.charCodeAt(i + 3)]!;
    out[o++] = (n >>> 16) & 0xff;
    out[o++] = (n >>> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  const rest = outLen - o;
  if (rest === 1) {
    const n = (table[input.charCodeAt(i)]! << 18) | (table[input.charCodeAt(i + 1)]! << 12);
    out[o] = (n >>> 16) & 0xff;
  } else if (rest === 2) {
    const n =
      (table[input.charCodeAt(i)]! << 18) |
      (table[input.charCodeAt(i + 1)]! << 12) |
      (table[input.charCodeAt(i + 2)]! << 6);
    out[o] = (n >>> 16) & 0xff;
    out[o + 1] = (n >>> 8) & 0xff;
  }
  return out;
}

/**
 * Node's encoder is exact (encoding has only one canonical output), and faster than the
 * JavaScript one on the hot header path; decoding never uses it.
 */
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;

function bufferView(bytes: Uint8Array): Buffer {
  return NodeBuffer!.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Standard alphabet with `=` padding. */
export function encodeBase64(bytes: Uint8Array): string {
  if (NodeBuffer !== undefined) return bufferView(bytes).toString("base64");
  return encodeBase64Js(bytes);
}

/** URL-safe alphabet without padding. */
export function encodeBase64Url(bytes: Uint8Array): string {
  if (NodeBuffer !== undefined) return bufferView(bytes).toString("base64url");
  return encodeBase64UrlJs(bytes);
}

/** Pure JavaScript standard base64 encoder (used where `Buffer` is absent; tested against it). */
export function encodeBase64Js(bytes: Uint8Array): string {
  return encodeWith(bytes, STANDARD_ALPHABET, true);
}

/** Pure JavaScript base64url encoder (used where `Buffer` is absent; tested against it). */
export function encodeBase64UrlJs(bytes: Uint8Array): string {
  return encodeWith(bytes, URL_SAFE_ALPHABET, false);
}

/** Decodes canonical padded standard base64; `undefined` for anything else. */
export function decodeBase64(input: string): Uint8Array | undefined {
  return decodeWith(input, STANDARD_DECODE, true);
}

/** Decodes canonical unpadded base64url; `undefined` for anything else. */
export function decodeBase64Url(input: string): Uint8Array | undefined {
  return decodeWith(input, URL_SAFE_DECODE, false);
}

/** Whether `input` is canonical padded standard base64, without decoding it. */
export function isCanonicalBase64(input: string): boolean {
  return canonicalDecodedLength(input, STANDARD_DECODE, true) >= 0;
}

/** Length in bytes that canonical padded standard base64 `input` decodes to, or -1. */
export function base64DecodedLength(input: string): number {
  return canonicalDecodedLength(input, STANDARD_DECODE, true);
}
