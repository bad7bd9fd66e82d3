import type { ResponseEvent } from "@codex/model-client";
import type { RolloutItem } from "@codex/rollout";
import type { JsonObject } from "@codex/wire";
import { agentMessageItems } from "./rollout-items.js";
import {
  type AgentMessageItem,
  agentMessageItem,
  isAssistantMessage,
  messageText,
  type TurnNotification,
} from "./thread-items.js";
import { uuidV7 } from "./uuid-v7.js";

/** What the assistant messages of a turn are reported to. */
export interface AgentMessageSink {
  readonly threadId: string;
  readonly turnId: string;
  readonly nowMs: () => number;
  readonly emit: (notification: TurnNotification) => void;
  readonly record: (items: readonly RolloutItem[]) => Promise<void>;
}

interface OpenMessage {
  readonly id: string;
  readonly startedAtMs: number;
  text: string;
}

/**
 * The assistant messages of one turn's model stream, as 0.169 reports them: `item/started` when
 * `output_item.added` announced a message (else together with its completion), one
 * `item/agentMessage/delta` per text delta of an announced message, `item/completed` with the
 * full text; each completed message is recorded in the rollout.
 */
export class AgentMessageStream {
  /** The completed messages, in order. */
  readonly items: AgentMessageItem[] = [];
  /** The completed messages as model input (for the thread's history). */
  readonly replies: JsonObject[] = [];
  private open: OpenMessage | undefined;

  constructor(private readonly sink: AgentMessageSink) {}

  /** Handles a message event of the stream; other events are ignored. */
  async handle(event: ResponseEvent): Promise<void> {
    switch (event.type) {
      case "output_item_added":
        if (isAssistantMessage(event.item)) this.announce(event.item);
        return;
      case "output_text_delta":
        this.delta(event.delta);
        return;
      case "output_item_done":
        if (isAssistantMessage(event.item)) await this.complete(event.item);
        return;
      default:
        return;
    }
  }

  /** The request is sent again: the partial output since the last `created` is dropped. */
  reset(): void {
    this.open = undefined;
  }

  /** The text of the last completed message, if any. */
  lastText(): string | null {
    return this.items.at(-1)?.text ?? null;
  }

  private announce(item: JsonObject): void {
    const { threadId, turnId } = this.sink;
    const id = typeof item.id === "string" && item.id !== "" ? item.id : uuidV7(this.sink.nowMs());
    const startedAtMs = this.sink.nowMs();
    this.open = { id, startedAtMs, text: "" };
    this.sink.emit({
      method: "item/started",
      params: { item: agentMessageItem(id, "", startedAtMs), threadId, turnId, startedAtMs },
    });
  }

  private delta(delta: string): void {
    const open = this.open;
    if (open === undefined) return;
    open.text += delta;
    this.sink.emit({
      method: "item/agentMessage/delta",
      params: { threadId: this.sink.threadId, turnId: this.sink.turnId, itemId: open.id, delta },
    });
  }

  private async complete(item: JsonObject): Promise<void> {
    const { threadId, turnId } = this.sink;
    const open = this.open;
    const id =
      typeof item.id === "string" && item.id !== ""
        ? item.id
        : (open?.id ?? uuidV7(this.sink.nowMs()));
    const fromItem = messageText(item);
    const text = fromItem !== "" ? fromItem : open?.id === id ? open.text : "";
    let startedAtMs: number;
    if (open !== undefined && open.id === id) {
      startedAtMs = open.startedAtMs;
    } else {
      startedAtMs = this.sink.nowMs();
      this.sink.emit({
        method: "item/started",
        params: { item: agentMessageItem(id, "", startedAtMs), threadId, turnId, startedAtMs },
      });
    }
    this.open = undefined;
    const completedAtMs = this.sink.nowMs();
    const done: AgentMessageItem = { ...agentMessageItem(id, text, startedAtMs), completedAtMs };
    this.items.push(done);
    this.replies.push({
      type: "message",
      role: "assistant",
      content: [{ type: "output_text", text }],
    });
    this.sink.emit({
      method: "item/completed",
      params: { item: done, threadId, turnId, contentTokenCount: null, completedAtMs },
    });
    await this.sink.record(
      agentMessageItems(typeof item.id === "string" ? item.id : undefined, text),
    );
  }
}
