import { backoffDelayMs } from "@codex/http";
import { ModelClientError } from "../model-client-error.js";

/**
 * The one resend budget of a stream call (`streamMaxRetries`), shared by every retryable failure
 * — cut or idle streams, timeouts, connection failures, 5xx and other unexpected statuses once
 * the transport's own retries are spent, WebSocket 429/5xx error frames — as upstream's turn loop
 * counts them.
 */
export interface Retries {
  readonly max: number;
  used: number;
  /** Sleeps before resend number `used` (the server's hint, else backoff). */
  pause(error: ModelClientError): Promise<void>;
}

/** The budget of a stream call: `max` resends, each after the server's hint or a backoff. */
export function streamRetries(
  max: number,
  wait: (ms: number, signal?: AbortSignal) => Promise<void>,
  random: () => number,
  signal: AbortSignal | undefined,
): Retries {
  const retries: Retries = {
    max,
    used: 0,
    pause: async (error) => {
      const delay = error.retryAfterMs ?? backoffDelayMs(retries.used, {}, random);
      try {
        await wait(delay, signal);
      } catch (cause) {
        throw new ModelClientError("aborted", "the model request was cancelled", { cause });
      }
    },
  };
  return retries;
}

/** The empty budget of a prewarm: nothing is sent again. */
export function noRetries(): Retries {
  return {
    max: 0,
    used: 0,
    pause: async () => {
      throw new ModelClientError("stream", "prewarm is not retried");
    },
  };
}
