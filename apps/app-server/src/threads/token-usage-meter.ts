import type { RateLimitSnapshot, TokenUsage } from "@codex/model-client";
import {
  addTokenUsage,
  NO_TOKEN_USAGE,
  type TokenUsageStep,
  type TokenUsageTotals,
  tokenUsageOf,
} from "./token-usage.js";

/**
 * Counts one turn's token usage on top of its thread's: each model response with usage becomes a
 * {@link TokenUsageStep} (this response, the turn so far, the thread so far, the last `codex`
 * rate-limit snapshot seen).
 */
export class TokenUsageMeter {
  private turn: TokenUsageTotals = NO_TOKEN_USAGE;
  private thread: TokenUsageTotals | undefined;
  private rateLimits: RateLimitSnapshot | undefined;

  constructor(
    private readonly threadId: string,
    private readonly turnId: string,
    threadBefore: TokenUsageTotals | undefined,
  ) {
    this.thread = threadBefore;
  }

  /** The thread's usage so far (undefined while no response of it reported any). */
  get total(): TokenUsageTotals | undefined {
    return this.thread;
  }

  /** Remembers the rate limits of the `codex` family for the next step. */
  rateLimitsSeen(snapshot: RateLimitSnapshot): void {
    if (snapshot.limitId === "codex") this.rateLimits = snapshot;
  }

  /** Counts one completed response's usage. */
  add(responseId: string | undefined, usage: TokenUsage): TokenUsageStep {
    const last = tokenUsageOf(usage);
    this.turn = addTokenUsage(this.turn, last);
    this.thread = addTokenUsage(this.thread ?? NO_TOKEN_USAGE, last);
    return {
      threadId: this.threadId,
      turnId: this.turnId,
      responseId,
      last,
      turn: this.turn,
      total: this.thread,
      rateLimits: this.rateLimits,
    };
  }
}
