import { z } from "zod";
import { named, titled } from "./internal/schema-registry.js";

/** Params of the server request `attestation/generate`: always `{}`. */
export const AttestationGenerateParams = named("AttestationGenerateParams", z.object({}));
/** Params of `attestation/generate`. */
export type AttestationGenerateParams = z.infer<typeof AttestationGenerateParams>;

/**
 * Result of `attestation/generate`: `{token}` (current upstream, what to send) or `{headerValue}`
 * (the seed-era and early-envelope name, still accepted). Read the value with
 * {@link attestationValue}.
 *
 * @example
 * attestationValue(AttestationGenerateResponse.parse({ token: "v1.b3BhcXVl" })); // "v1.b3BhcXVl"
 */
export const AttestationGenerateResponse = named(
  "AttestationGenerateResponse",
  z.union([
    titled("TokenAttestationGenerateResponse", z.object({ token: z.string() })),
    titled("HeaderValueAttestationGenerateResponse", z.object({ headerValue: z.string() })),
  ]),
);
/** Result of `attestation/generate`. */
export type AttestationGenerateResponse = z.infer<typeof AttestationGenerateResponse>;

/** The opaque attestation value, whichever field name the client used. */
export function attestationValue(result: AttestationGenerateResponse): string {
  return "token" in result ? result.token : result.headerValue;
}
