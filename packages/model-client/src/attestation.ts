/** The header that carries the attestation envelope. */
export const X_OAI_ATTESTATION_HEADER = "x-oai-attestation";
/** Default budget of one provider call, in ms. */
export const DEFAULT_ATTESTATION_BUDGET_MS = 1000;

/** What the provider is told about the call it attests. */
export interface AttestationContext {
  readonly threadId: string;
  /** Fires when the budget is spent or the call is cancelled. */
  readonly signal: AbortSignal;
}

/**
 * The host's attestation source (e.g. the desktop app's DeviceCheck through app-server's
 * `attestation/generate`): resolves the opaque `v1.…` token, or undefined when the host cannot
 * attest at all (then no header is sent). Called once per HTTP send and once per new WebSocket
 * handshake, only for ChatGPT-family auth to the ChatGPT Codex backend.
 */
export interface AttestationProvider {
  tokenForRequest(context: AttestationContext): Promise<string | undefined>;
}

/** Envelope status: 0 ok, 1 timeout, 2 provider error, 3 cancelled, 4 malformed token. */
export type AttestationStatus = 0 | 1 | 2 | 3 | 4;

/**
 * The header value: compact JSON `{"v":1,"s":status}` plus `"t":token` when `s` is 0.
 *
 * @example
 * ```ts
 * attestationEnvelope(0, "v1.abc"); // '{"v":1,"s":0,"t":"v1.abc"}'
 * attestationEnvelope(1);           // '{"v":1,"s":1}'
 * ```
 */
export function attestationEnvelope(status: AttestationStatus, token?: string): string {
  return status === 0 && token !== undefined
    ? JSON.stringify({ v: 1, s: 0, t: token })
    : JSON.stringify({ v: 1, s: status });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: a header-safe token has none
const HEADER_UNSAFE = /[\x00-\x1f\x7f]|[^\x00-\x7f]/;

/**
 * Calls the provider within `budgetMs` and turns any outcome into a header value: a token →
 * status 0; a timeout → 1; a rejection → 2; the caller's cancel → 3; a non-string or unsafe
 * token → 4; undefined → no header. Never rejects.
 */
export async function generateAttestationHeader(
  provider: AttestationProvider,
  threadId: string,
  budgetMs: number,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let cancel: (value: "cancelled") => void = () => {};
  const cancelled = new Promise<"cancelled">((resolve) => {
    cancel = resolve;
  });
  const onAbort = () => {
    controller.abort();
    cancel("cancelled");
  };
  if (signal?.aborted) onAbort();
  signal?.addEventListener("abort", onAbort, { once: true });
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve("timeout");
    }, budgetMs);
  });
  try {
    let call: Promise<unknown>;
    try {
      call = Promise.resolve(provider.tokenForRequest({ threadId, signal: controller.signal }));
    } catch {
      return attestationEnvelope(2);
    }
    const outcome = await Promise.race([
      call.then(
        (token) => ({ token }),
        () => "error" as const,
      ),
      timeout,
      cancelled,
    ]);
    if (outcome === "timeout") return attestationEnvelope(1);
    if (outcome === "cancelled") return attestationEnvelope(3);
    if (outcome === "error") return attestationEnvelope(2);
    const token = outcome.token;
    if (token === undefined) return undefined;
    if (typeof token !== "string" || token === "" || HEADER_UNSAFE.test(token)) {
      return attestationEnvelope(4);
    }
    return attestationEnvelope(0, token);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

/** Normalised form of a base URL for comparison: lower-cased, no trailing `/`. */
function normalizeBase(url: string): string {
  return url.trim().replace(/\/+$/, "").toLowerCase();
}

/**
 * Whether requests to `providerBaseUrl` go to the ChatGPT Codex backend, i.e. equal the
 * configured `chatgptBaseUrl` + `/codex` (loopback backends included). Attestation is scoped to
 * these, with ChatGPT-family auth.
 */
export function isChatgptCodexBackend(providerBaseUrl: string, chatgptBaseUrl: string): boolean {
  return normalizeBase(providerBaseUrl) === `${normalizeBase(chatgptBaseUrl)}/codex`;
}
