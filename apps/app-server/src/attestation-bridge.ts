import { AppServerProtocolError, type ProtocolPeer } from "@codex/app-server-protocol";
import type { AttestationProvider } from "@codex/model-client";

/**
 * The attestation source of a connection that initialized with `requestAttestation: true`: one
 * `attestation/generate {}` per call, answered `{token}`. model-client bounds the wait with the
 * configured budget and writes the envelope: a JSON-RPC error is `s:2`, no answer in time `s:1`,
 * and an answer without `token` (e.g. the legacy `{headerValue}`) `s:4` (returned here as an
 * empty token, which model-client reports as malformed).
 *
 * @example
 * const attestation = initialize.capabilities?.requestAttestation ? attestationBridge(peer) : undefined;
 */
export function attestationBridge(peer: ProtocolPeer<"server">): AttestationProvider {
  return {
    async tokenForRequest({ signal }) {
      try {
        const result = await peer.request("attestation/generate", {}, { signal });
        return "token" in result ? result.token : "";
      } catch (error) {
        if (AppServerProtocolError.is(error) && error.code === "invalid_result") return "";
        throw error;
      }
    },
  };
}
