import { encodeAccessToken, encodeIdToken } from "../../src/testing/index.js";
import { registerSecret } from "./capture.js";

/** Reply of the token endpoint: status and JSON body. */
export interface IssuerReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * The state machine of an OAuth issuer that rotates refresh tokens: each refresh token can be
 * spent once; spending it again answers 401 `refresh_token_reused`. It backs the msw handlers of
 * `src/auth-manager.test.ts` (in-process unit tests); end-to-end tests over real sockets use
 * `@codex/fake-backend`, which implements the same rotation and reuse detection.
 */
export class RotatingIssuer {
  readonly spent = new Map<string, number>();
  calls = 0;
  #next = 1;
  readonly #prefix: string;
  readonly #accountId: string;
  readonly #expSeconds: number;

  constructor(options: { prefix?: string; accountId?: string; expSeconds?: number } = {}) {
    this.#prefix = options.prefix ?? "rt";
    this.#accountId = options.accountId ?? "ws-1";
    this.#expSeconds = options.expSeconds ?? 4_000_000_000;
  }

  /** Handles one refresh request body. */
  handle(body: unknown): IssuerReply {
    this.calls++;
    const rt = (body as { refresh_token?: unknown } | null)?.refresh_token;
    if (typeof rt !== "string") return { status: 400, body: { error: "invalid_request" } };
    const uses = this.spent.get(rt) ?? 0;
    this.spent.set(rt, uses + 1);
    if (uses > 0) return { status: 401, body: { error: { code: "refresh_token_reused" } } };
    const n = this.#next++;
    return {
      status: 200,
      body: {
        id_token: encodeIdToken({ chatgptAccountId: this.#accountId, email: "u@example.com" }),
        access_token: registerSecret(
          encodeAccessToken({ exp: this.#expSeconds, claims: { extra: { n, SECRET: "at" } } }),
        ),
        refresh_token: registerSecret(`${this.#prefix}-SECRET-rotated-${n}`),
      },
    };
  }

  /** Refresh tokens spent more than once. */
  reused(): string[] {
    return [...this.spent].filter(([, n]) => n > 1).map(([rt]) => rt);
  }
}
