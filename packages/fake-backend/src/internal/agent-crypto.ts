import {
  decodeSshEd25519PublicKey,
  sealTaskIdForPublicKey,
  verifyAgentAssertion,
  verifyTaskRegistrationSignature,
} from "@codex/agent-identity";

/** A verified assertion's claims. */
export interface VerifiedAssertion {
  readonly agentRuntimeId: string;
  readonly taskId: string;
  readonly timestamp: string;
}

/** The agent-identity operations the backend needs (server side). */
export interface AgentCrypto {
  /** Signature and envelope check only; the caller checks clock skew and the task. */
  verifyAssertion(header: string, publicKeySsh: string): VerifiedAssertion | undefined;
  /** Whether `signature` is the agent's Ed25519 signature over `agentRuntimeId:timestamp`. */
  verifyRegistrationSignature(
    publicKeySsh: string,
    agentRuntimeId: string,
    timestamp: string,
    signature: string,
  ): boolean;
  /** The raw key of an `ssh-ed25519 ...` line, or undefined when it is not one. */
  decodePublicKey(publicKeySsh: string): Uint8Array | undefined;
  /** Seals a task id to the agent's key (libsodium sealed box), base64. */
  sealTaskId(publicKeySsh: string, taskId: string): string;
}

/** The agent-identity backed implementation. */
export function createAgentCrypto(): AgentCrypto {
  return {
    verifyAssertion(header, publicKeySsh) {
      try {
        const verified = verifyAgentAssertion(header, publicKeySsh, {
          // Skew is checked by the backend itself, against its injected clock.
          maxSkewSeconds: Number.POSITIVE_INFINITY,
        });
        return {
          agentRuntimeId: verified.agentRuntimeId,
          taskId: verified.taskId,
          timestamp: verified.timestamp,
        };
      } catch {
        return undefined;
      }
    },
    verifyRegistrationSignature(publicKeySsh, agentRuntimeId, timestamp, signature) {
      try {
        verifyTaskRegistrationSignature(publicKeySsh, agentRuntimeId, timestamp, signature);
        return true;
      } catch {
        return false;
      }
    },
    decodePublicKey(publicKeySsh) {
      try {
        return decodeSshEd25519PublicKey(publicKeySsh);
      } catch {
        return undefined;
      }
    },
    sealTaskId(publicKeySsh, taskId) {
      return sealTaskIdForPublicKey(publicKeySsh, taskId);
    },
  };
}
