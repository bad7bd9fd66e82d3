import { Secret } from "@codex/wire";
import { encodeBase64 } from "./internal/base64.js";
import { ed25519Pkcs8FromSeed } from "./internal/pkcs8.js";
import { loadPrivateKey, prepareFromSeed } from "./internal/private-key.js";
import {
  drawRandomBytes,
  optionalRandomSource,
  type RandomBytesSource,
} from "./internal/random.js";
import { requireObject } from "./internal/validate.js";
import { encodeSshEd25519PublicKey } from "./ssh-public-key.js";

/** Freshly generated agent key material, in the stored and the registered forms. */
export interface GeneratedAgentKeyMaterial {
  /**
   * Standard padded base64 of the 48-byte PKCS#8 v1 DER, wrapped in a `Secret`: the value to
   * store (`reveal()` it only when writing auth.json).
   */
  readonly privateKeyPkcs8Base64: Secret;
  /** `ssh-ed25519 AAAA...` public key sent when registering the agent. */
  readonly publicKeySsh: string;
}

/** Options for {@link generateAgentKeyMaterial}. */
export interface GenerateAgentKeyMaterialOptions {
  /** Source of the 32-byte seed; defaults to the OS CSPRNG. Inject only in tests. */
  randomBytes?: RandomBytesSource | undefined;
}

/**
 * Generates a new Ed25519 agent identity key from 32 random bytes.
 *
 * @throws {AgentIdentityError} `random_generation_failed` if the random source fails.
 * @example
 * ```ts
 * import { generateAgentKeyMaterial } from "@codex/agent-identity";
 * const { privateKeyPkcs8Base64, publicKeySsh } = generateAgentKeyMaterial();
 * // store privateKeyPkcs8Base64.reveal() in auth.json; send publicKeySsh to /v1/agent/register
 * ```
 */
export function generateAgentKeyMaterial(
  options: GenerateAgentKeyMaterialOptions = {},
): GeneratedAgentKeyMaterial {
  const opts = requireObject(options, "options");
  const seed = drawRandomBytes(
    optionalRandomSource(opts.randomBytes),
    32,
    "failed to generate agent identity private key bytes",
  );
  const key = prepareFromSeed(seed);
  const der = ed25519Pkcs8FromSeed(seed);
  const material: GeneratedAgentKeyMaterial = {
    privateKeyPkcs8Base64: new Secret(encodeBase64(der)),
    publicKeySsh: encodeSshEd25519PublicKey(key.signing.publicKey),
  };
  seed.fill(0);
  der.fill(0);
  return material;
}

/**
 * The OpenSSH public key line for a stored private key.
 *
 * @throws {AgentIdentityError} `invalid_private_key_base64` / `invalid_private_key_pkcs8`;
 *   `invalid_argument` unless the key is a `Secret`.
 * @example
 * ```ts
 * import { publicKeySshFromPrivateKeyPkcs8Base64 } from "@codex/agent-identity";
 * publicKeySshFromPrivateKeyPkcs8Base64(
 *   new Secret("MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH"),
 * );
 * // "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs"
 * ```
 */
export function publicKeySshFromPrivateKeyPkcs8Base64(privateKeyPkcs8Base64: Secret): string {
  return encodeSshEd25519PublicKey(loadPrivateKey(privateKeyPkcs8Base64).signing.publicKey);
}

/**
 * The raw 32-byte Ed25519 public (verifying) key for a stored private key (a fresh copy).
 *
 * @throws {AgentIdentityError} `invalid_private_key_base64` / `invalid_private_key_pkcs8`;
 *   `invalid_argument` unless the key is a `Secret`.
 * @example
 * ```ts
 * import { verifyingKeyFromPrivateKeyPkcs8Base64 } from "@codex/agent-identity";
 * const publicKey = verifyingKeyFromPrivateKeyPkcs8Base64(stored); // Uint8Array(32)
 * ```
 */
export function verifyingKeyFromPrivateKeyPkcs8Base64(privateKeyPkcs8Base64: Secret): Uint8Array {
  return loadPrivateKey(privateKeyPkcs8Base64).signing.publicKey.slice();
}

/**
 * The 32-byte X25519 secret that opens sealed task ids: the first half of SHA-512 of the Ed25519
 * seed, clamped (libsodium's `crypto_sign_ed25519_sk_to_curve25519`). A fresh copy; wipe it after
 * use.
 *
 * @throws {AgentIdentityError} `invalid_private_key_base64` / `invalid_private_key_pkcs8`;
 *   `invalid_argument` unless the key is a `Secret`.
 * @example
 * ```ts
 * import { curve25519SecretKeyFromPrivateKeyPkcs8Base64 } from "@codex/agent-identity";
 * const secret = curve25519SecretKeyFromPrivateKeyPkcs8Base64(stored); // Uint8Array(32)
 * secret.fill(0);
 * ```
 */
export function curve25519SecretKeyFromPrivateKeyPkcs8Base64(
  privateKeyPkcs8Base64: Secret,
): Uint8Array {
  return loadPrivateKey(privateKeyPkcs8Base64).x25519Secret();
}
