import type { JsonObject } from "@codex/wire";

/** A text element of a user input (`text_elements`), passed through as the client sent it. */
export type TextElementJson = JsonObject;

/** One piece of user input of a turn, as 0.169 echoes it in a `userMessage` item. */
export type UserInputItem =
  | { readonly type: "text"; readonly text: string; readonly text_elements: TextElementJson[] }
  | { readonly type: "image"; readonly url: string; readonly detail?: string | null }
  | { readonly type: "localImage"; readonly path: string; readonly detail?: string | null }
  | { readonly type: "skill"; readonly name: string; readonly path: string }
  | { readonly type: "mention"; readonly name: string; readonly path: string };

/** The `userMessage` thread item of 0.169. */
export type UserMessageItem = {
  readonly type: "userMessage";
  readonly id: string;
  readonly clientId: string | null;
  readonly content: UserInputItem[];
  readonly startedAtMs: number;
  readonly completedAtMs: number | null;
};

/** The `agentMessage` thread item of 0.169. */
export type AgentMessageItem = {
  readonly type: "agentMessage";
  readonly moderation: null;
  readonly id: string;
  readonly text: string;
  readonly phase: string | null;
  readonly memoryCitation: null;
  readonly delivery: null;
  readonly questions: null;
  readonly startedAtMs: number;
  readonly completedAtMs: number | null;
};

/** A thread item the engine emits. */
export type EngineThreadItem = UserMessageItem | AgentMessageItem;

/** `CodexErrorInfo` values the engine reports. */
export type CodexErrorInfo =
  | "contextWindowExceeded"
  | "usageLimitExceeded"
  | "serverOverloaded"
  | "cyberPolicy"
  | "internalServerError"
  | "unauthorized"
  | "badRequest"
  | "other";

/** Why a turn failed (`TurnError` of 0.169). */
export type EngineTurnError = {
  readonly message: string;
  readonly codexErrorInfo: CodexErrorInfo;
  readonly additionalDetails: string | null;
  readonly misalignment: null;
};

/** Status of a turn. */
export type EngineTurnStatus = "inProgress" | "completed" | "interrupted" | "failed";

/** A turn as 0.169 sends it (`turn/start` result, `turn/started`, `turn/completed`). */
export type EngineTurn = {
  readonly id: string;
  readonly rootTurnId: string;
  readonly items: EngineThreadItem[];
  readonly itemsView: "notLoaded" | "summary" | "full";
  readonly status: EngineTurnStatus;
  readonly error: EngineTurnError | null;
  readonly startedAt: number | null;
  readonly completedAt: number | null;
  readonly durationMs: number | null;
};

/** The notifications of a turn, in the order 0.169 sends them (protocol `{method, params}`). */
export type TurnNotification =
  | {
      readonly method: "turn/started";
      readonly params: { readonly threadId: string; readonly turn: EngineTurn };
    }
  | {
      readonly method: "item/started";
      readonly params: {
        readonly item: EngineThreadItem;
        readonly threadId: string;
        readonly turnId: string;
        readonly startedAtMs: number;
      };
    }
  | {
      readonly method: "item/agentMessage/delta";
      readonly params: {
        readonly threadId: string;
        readonly turnId: string;
        readonly itemId: string;
        readonly delta: string;
      };
    }
  | {
      readonly method: "item/completed";
      readonly params: {
        readonly item: EngineThreadItem;
        readonly threadId: string;
        readonly turnId: string;
        readonly contentTokenCount: number | null;
        readonly completedAtMs: number;
      };
    }
  | {
      readonly method: "error";
      readonly params: {
        readonly error: EngineTurnError;
        readonly willRetry: boolean;
        readonly threadId: string;
        readonly turnId: string;
      };
    }
  | {
      readonly method: "turn/completed";
      readonly params: { readonly threadId: string; readonly turn: EngineTurn };
    };

/** The `turn/start` result turn: in progress, nothing loaded, no times yet. */
export function inProgressTurn(id: string, rootTurnId: string = id): EngineTurn {
  return {
    id,
    rootTurnId,
    items: [],
    itemsView: "notLoaded",
    status: "inProgress",
    error: null,
    startedAt: null,
    completedAt: null,
    durationMs: null,
  };
}

/** A new `agentMessage` item (empty text until completed). */
export function agentMessageItem(id: string, text: string, startedAtMs: number): AgentMessageItem {
  return {
    type: "agentMessage",
    moderation: null,
    id,
    text,
    phase: null,
    memoryCitation: null,
    delivery: null,
    questions: null,
    startedAtMs,
    completedAtMs: null,
  };
}

/** The text of a Responses `message` item (its `output_text` parts joined). */
export function messageText(item: JsonObject): string {
  const content = item.content;
  if (!Array.isArray(content)) return "";
  let text = "";
  for (const part of content) {
    if (part !== null && typeof part === "object" && !Array.isArray(part)) {
      const p = part as JsonObject;
      if (p.type === "output_text" && typeof p.text === "string") text += p.text;
    }
  }
  return text;
}

/** True for an assistant `message` output item. */
export function isAssistantMessage(item: JsonObject): boolean {
  return item.type === "message" && (item.role === undefined || item.role === "assistant");
}
