import type { TurnOutcome } from "./jsonl-event-mapper.js";
import type { TokenTotals, TurnEvent } from "./turn-notification.js";

/** What the header of a human-readable run shows (0.169's config summary). */
export interface ExecSummary {
  readonly version: string;
  readonly workdir: string;
  readonly model: string;
  readonly provider: string;
  readonly sandbox: string;
  readonly reasoningEffort: string | undefined;
  readonly reasoningSummaries: string | undefined;
  readonly sessionId: string;
  /** The prompt as sent (stdin block included). */
  readonly prompt: string;
}

/** The header 0.169 prints on stderr before the turn. */
export function formatSummary(summary: ExecSummary): string {
  return [
    `OpenAI Codex v${summary.version}`,
    "--------",
    `workdir: ${summary.workdir}`,
    `model: ${summary.model}`,
    `provider: ${summary.provider}`,
    "approval: never",
    `sandbox: ${summary.sandbox}`,
    `reasoning effort: ${summary.reasoningEffort ?? "none"}`,
    `reasoning summaries: ${summary.reasoningSummaries ?? "none"}`,
    `session id: ${summary.sessionId}`,
    "--------",
    "user",
    summary.prompt,
    "",
  ].join("\n");
}

/** `1234567` → `1,234,567`. */
export function formatWithSeparators(value: number): string {
  const digits = String(Math.trunc(Math.abs(value)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return value < 0 ? `-${grouped}` : grouped;
}

/** The figure after `tokens used`: non-cached input plus output, never negative. */
export function blendedTotal(total: TokenTotals): number {
  const nonCached = Math.max(0, total.inputTokens - total.cachedInputTokens);
  return Math.max(0, nonCached + Math.max(0, total.outputTokens));
}

/** Where the final answer goes once the turn is over. */
export interface FinalOutput {
  readonly stderr: string;
  readonly stdout: string;
}

/**
 * The human-readable output of `codex exec` (0.169's texts, without colours): progress on stderr
 * (`codex` + each agent message, `warning:` lines, `ERROR:` lines, `tokens used`), the final
 * answer alone on stdout unless both streams are terminals. A failed turn's error is printed once
 * even though it arrives both as an `error` notification and in `turn/completed`.
 */
export class HumanOutput {
  #usage: TokenTotals | undefined;
  #lastErrorLine: string | undefined;
  #finalMessage: string | undefined;
  #outcome: TurnOutcome | undefined;

  /** How the turn ended; undefined until `turn/completed` was seen. */
  get outcome(): TurnOutcome | undefined {
    return this.#outcome;
  }

  /** The last agent message of a completed turn. */
  get finalMessage(): string | undefined {
    return this.#finalMessage;
  }

  /** The stderr text of one notification ("" when it prints nothing). */
  render(event: TurnEvent): string {
    switch (event.kind) {
      case "itemCompleted":
        if (event.item.kind === "agentMessage") {
          this.#finalMessage = event.item.text;
          return `codex\n${event.item.text}\n`;
        }
        return event.item.text.trim() === "" ? "" : `thinking\n${event.item.text}\n`;
      case "warning":
        return `warning: ${event.message}\n`;
      case "error":
        if (event.willRetry) return `${event.message}\n`;
        return this.#errorLine(event.message);
      case "tokenUsage":
        this.#usage = event.total;
        return "";
      case "turnCompleted":
        if (event.status === "completed") {
          this.#outcome = "completed";
          const last = event.agentMessages.at(-1);
          if (last !== undefined) this.#finalMessage = last;
          return "";
        }
        if (event.status === "failed") {
          this.#outcome = "failed";
          this.#finalMessage = undefined;
          return this.#errorLine(event.errorMessage ?? "turn failed");
        }
        if (event.status === "interrupted") {
          this.#outcome = "interrupted";
          this.#finalMessage = undefined;
        }
        return "";
      default:
        return "";
    }
  }

  /** What to print after the turn: token count on stderr, the answer on stdout. */
  final(terminals: { readonly stdout: boolean; readonly stderr: boolean }): FinalOutput {
    const stderr =
      this.#usage === undefined
        ? ""
        : `tokens used\n${formatWithSeparators(blendedTotal(this.#usage))}\n`;
    const answer = this.#outcome === "completed" ? this.#finalMessage : undefined;
    const stdout =
      answer !== undefined && !(terminals.stdout && terminals.stderr) ? `${answer}\n` : "";
    return { stderr, stdout };
  }

  #errorLine(message: string): string {
    const line = `ERROR: ${message}\n`;
    if (line === this.#lastErrorLine) return "";
    this.#lastErrorLine = line;
    return line;
  }
}
