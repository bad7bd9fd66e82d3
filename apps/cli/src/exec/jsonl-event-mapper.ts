import { type ExecThreadEvent, type ExecUsage, ZERO_USAGE } from "./exec-events.js";
import type { TokenTotals, TurnEvent } from "./turn-notification.js";

/** How a turn ended, as exec's exit code and `--output-last-message` see it. */
export type TurnOutcome = "completed" | "failed" | "interrupted";

/**
 * Turns the engine's notifications into `codex exec --json` events, as 0.169 does: item ids
 * `item_0`, `item_1`, … in completion order; agent messages and reasoning only on completion
 * (no `item.started` for them); warnings as `error` items; `error` notifications as `error`
 * events; `turn.completed` with the thread's token totals, `turn.failed` with the turn's error
 * (else the last error seen, else `turn failed`); nothing for an interrupted turn.
 */
export class JsonlEventMapper {
  #nextId = 0;
  #usage: ExecUsage | undefined;
  #lastError: string | undefined;
  #finalMessage: string | undefined;
  #outcome: TurnOutcome | undefined;

  /** The `thread.started` line of a started or resumed thread. */
  threadStarted(threadId: string): ExecThreadEvent {
    return { type: "thread.started", thread_id: threadId };
  }

  /** The last agent message of a completed turn (undefined otherwise). */
  get finalMessage(): string | undefined {
    return this.#finalMessage;
  }

  /** How the turn ended; undefined until `turn/completed` was mapped. */
  get outcome(): TurnOutcome | undefined {
    return this.#outcome;
  }

  /** The events of one notification (often none). */
  map(event: TurnEvent): ExecThreadEvent[] {
    switch (event.kind) {
      case "turnStarted":
        return [{ type: "turn.started" }];
      case "itemCompleted": {
        if (event.item.kind === "agentMessage") {
          this.#finalMessage = event.item.text;
          return [
            {
              type: "item.completed",
              item: { id: this.#id(), type: "agent_message", text: event.item.text },
            },
          ];
        }
        if (event.item.text.trim() === "") return [];
        return [
          {
            type: "item.completed",
            item: { id: this.#id(), type: "reasoning", text: event.item.text },
          },
        ];
      }
      case "warning":
        return [
          {
            type: "item.completed",
            item: { id: this.#id(), type: "error", message: event.message },
          },
        ];
      case "error":
        this.#lastError = event.message;
        return [{ type: "error", message: event.message }];
      case "tokenUsage":
        this.#usage = usageOf(event.total);
        return [];
      case "turnCompleted":
        return this.#turnCompleted(event);
      default:
        return [];
    }
  }

  #turnCompleted(event: Extract<TurnEvent, { kind: "turnCompleted" }>): ExecThreadEvent[] {
    switch (event.status) {
      case "completed": {
        const last = event.agentMessages.at(-1);
        if (last !== undefined) this.#finalMessage = last;
        this.#outcome = "completed";
        return [{ type: "turn.completed", usage: this.#usage ?? ZERO_USAGE }];
      }
      case "failed":
        this.#finalMessage = undefined;
        this.#outcome = "failed";
        return [
          {
            type: "turn.failed",
            error: { message: event.errorMessage ?? this.#lastError ?? "turn failed" },
          },
        ];
      case "interrupted":
        this.#finalMessage = undefined;
        this.#outcome = "interrupted";
        return [];
      default:
        return [];
    }
  }

  #id(): string {
    const id = `item_${this.#nextId}`;
    this.#nextId++;
    return id;
  }
}

/** `turn.completed` usage from the thread's totals. */
export function usageOf(total: TokenTotals): ExecUsage {
  return {
    input_tokens: total.inputTokens,
    cached_input_tokens: total.cachedInputTokens,
    cache_write_input_tokens: total.cacheWriteInputTokens,
    output_tokens: total.outputTokens,
    reasoning_output_tokens: total.reasoningOutputTokens,
  };
}
