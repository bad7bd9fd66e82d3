/**
 * The JSONL events `codex exec --json` (and its hidden alias `--experimental-json`, which the
 * official SDK uses) prints on stdout, one per line, with upstream 0.169's field names and order.
 */

/** Token counts of `turn.completed` (the thread's running total, as 0.169 reports it). */
export interface ExecUsage {
  readonly input_tokens: number;
  readonly cached_input_tokens: number;
  readonly cache_write_input_tokens: number;
  readonly output_tokens: number;
  readonly reasoning_output_tokens: number;
}

/** An item of an `item.*` event. Only the kinds this runtime produces (it runs no tools). */
export type ExecThreadItem =
  | { readonly id: string; readonly type: "agent_message"; readonly text: string }
  | { readonly id: string; readonly type: "reasoning"; readonly text: string }
  | { readonly id: string; readonly type: "error"; readonly message: string };

/** One line of `codex exec --json`. */
export type ExecThreadEvent =
  | { readonly type: "thread.started"; readonly thread_id: string }
  | { readonly type: "turn.started" }
  | { readonly type: "turn.completed"; readonly usage: ExecUsage }
  | { readonly type: "turn.failed"; readonly error: { readonly message: string } }
  | { readonly type: "item.started"; readonly item: ExecThreadItem }
  | { readonly type: "item.updated"; readonly item: ExecThreadItem }
  | { readonly type: "item.completed"; readonly item: ExecThreadItem }
  | { readonly type: "error"; readonly message: string };

/** Usage with every count zero (a turn that reported none). */
export const ZERO_USAGE: ExecUsage = Object.freeze({
  input_tokens: 0,
  cached_input_tokens: 0,
  cache_write_input_tokens: 0,
  output_tokens: 0,
  reasoning_output_tokens: 0,
});

/** The JSONL line of an event (JSON keys in the order upstream serialises them, then `\n`). */
export function formatExecEvent(event: ExecThreadEvent): string {
  return `${JSON.stringify(event)}\n`;
}
