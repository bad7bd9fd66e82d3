import { z } from "zod";
import { named, titled } from "./internal/schema-registry.js";

/** Approval policy: a named policy, or (experimental) `{granular: {...}}`. */
export const AskForApproval = named(
  "AskForApproval",
  z.union([
    z.enum(["untrusted", "on-failure", "on-request", "never"]),
    titled("GranularAskForApproval", z.object({ granular: z.record(z.string(), z.unknown()) })),
  ]),
);
/** Approval policy. */
export type AskForApproval = z.infer<typeof AskForApproval>;

/** Personality preset. */
export const Personality = named("Personality", z.enum(["none", "friendly", "pragmatic"]));
/** Personality preset. */
export type Personality = z.infer<typeof Personality>;

/** A byte range in the parent text. */
export const ByteRange = named(
  "ByteRange",
  z.object({ start: z.int().nonnegative(), end: z.int().nonnegative() }),
);

/** A UI-defined span in a text input (upstream field name `text_elements` on the input). */
export const TextElement = named(
  "TextElement",
  z.object({ byteRange: ByteRange, placeholder: z.string().nullable().optional() }),
);
/** A UI-defined span in a text input. */
export type TextElement = z.infer<typeof TextElement>;

const ImageDetail = named("ImageDetail", z.enum(["auto", "low", "high", "original"]));

/** One piece of user input for `turn/start`, tagged by `type`. */
export const UserInput = named(
  "UserInput",
  z.discriminatedUnion("type", [
    titled(
      "TextUserInput",
      z.object({
        type: z.literal("text"),
        text: z.string(),
        text_elements: z.array(TextElement).optional(),
      }),
    ),
    titled(
      "ImageUserInput",
      z.object({
        type: z.literal("image"),
        url: z.string(),
        detail: ImageDetail.nullable().optional(),
      }),
    ),
    titled(
      "LocalImageUserInput",
      z.object({
        type: z.literal("localImage"),
        path: z.string(),
        detail: ImageDetail.nullable().optional(),
      }),
    ),
    titled(
      "SkillUserInput",
      z.object({ type: z.literal("skill"), name: z.string(), path: z.string() }),
    ),
    titled(
      "MentionUserInput",
      z.object({ type: z.literal("mention"), name: z.string(), path: z.string() }),
    ),
  ]),
);
/** One piece of user input. */
export type UserInput = z.infer<typeof UserInput>;

/**
 * An item of a turn (`userMessage`, `agentMessage`, `reasoning`, ...). Only `type` and `id` are
 * checked; every other member (an `agentMessage`'s `text`, ...) passes through untouched.
 */
export const ThreadItem = named("ThreadItem", z.looseObject({ type: z.string(), id: z.string() }));
/** An item of a turn. */
export type ThreadItem = z.infer<typeof ThreadItem>;

/** Why a turn failed. Extra upstream members pass through. */
export const TurnError = named(
  "TurnError",
  z.looseObject({
    message: z.string(),
    codexErrorInfo: z.unknown().optional(),
    additionalDetails: z.string().nullable().optional(),
  }),
);
/** Why a turn failed. */
export type TurnError = z.infer<typeof TurnError>;

/** Status of a turn. */
export const TurnStatus = named(
  "TurnStatus",
  z.enum(["inProgress", "completed", "interrupted", "failed"]),
);
/** Status of a turn. */
export type TurnStatus = z.infer<typeof TurnStatus>;

/** A turn. Later upstream members (`startedAt`, `durationMs`, ...) pass through. */
export const Turn = named(
  "Turn",
  z.looseObject({
    id: z.string(),
    items: z.array(ThreadItem),
    status: TurnStatus,
    error: TurnError.nullable().optional(),
  }),
);
/** A turn. */
export type Turn = z.infer<typeof Turn>;

/** Params of `turn/start`. Unmodelled overrides are dropped by parsing. */
export const TurnStartParams = named(
  "TurnStartParams",
  z.object({
    threadId: z.string(),
    input: z.array(UserInput),
    cwd: z.string().nullable().optional(),
    approvalPolicy: AskForApproval.nullable().optional(),
    sandboxPolicy: z.unknown().optional(),
    model: z.string().nullable().optional(),
    effort: z.string().min(1).nullable().optional(),
    summary: z.enum(["auto", "concise", "detailed", "none"]).nullable().optional(),
    personality: Personality.nullable().optional(),
    outputSchema: z.unknown().optional(),
  }),
);
/** Params of `turn/start`. */
export type TurnStartParams = z.infer<typeof TurnStartParams>;

/** Result of `turn/start` (`turn.status` is `inProgress`). */
export const TurnStartResponse = named("TurnStartResponse", z.object({ turn: Turn }));
/** Result of `turn/start`. */
export type TurnStartResponse = z.infer<typeof TurnStartResponse>;

/** Params of `turn/interrupt`. */
export const TurnInterruptParams = named(
  "TurnInterruptParams",
  z.object({ threadId: z.string(), turnId: z.string() }),
);
/** Params of `turn/interrupt`. */
export type TurnInterruptParams = z.infer<typeof TurnInterruptParams>;

/** Result of `turn/interrupt`: `{}`. */
export const TurnInterruptResponse = named("TurnInterruptResponse", z.object({}));
/** Result of `turn/interrupt`. */
export type TurnInterruptResponse = z.infer<typeof TurnInterruptResponse>;

/** Params of `turn/started`. */
export const TurnStartedNotification = named(
  "TurnStartedNotification",
  z.object({ threadId: z.string(), turn: Turn }),
);
/** Params of `turn/started`. */
export type TurnStartedNotification = z.infer<typeof TurnStartedNotification>;

/** Params of `turn/completed`. */
export const TurnCompletedNotification = named(
  "TurnCompletedNotification",
  z.object({ threadId: z.string(), turn: Turn }),
);
/** Params of `turn/completed`. */
export type TurnCompletedNotification = z.infer<typeof TurnCompletedNotification>;

/** Params of `item/started` (`startedAtMs`: Unix ms, sent by 0.169). */
export const ItemStartedNotification = named(
  "ItemStartedNotification",
  z.object({
    threadId: z.string(),
    turnId: z.string(),
    item: ThreadItem,
    startedAtMs: z.int().optional(),
  }),
);
/** Params of `item/started`. */
export type ItemStartedNotification = z.infer<typeof ItemStartedNotification>;

/**
 * Params of `item/completed` (`agentMessage` items carry the full `text`; `completedAtMs` and
 * `contentTokenCount` as 0.169 sends them).
 */
export const ItemCompletedNotification = named(
  "ItemCompletedNotification",
  z.object({
    threadId: z.string(),
    turnId: z.string(),
    item: ThreadItem,
    completedAtMs: z.int().optional(),
    contentTokenCount: z.int().nullable().optional(),
  }),
);
/** Params of `item/completed`. */
export type ItemCompletedNotification = z.infer<typeof ItemCompletedNotification>;

/** Params of `item/agentMessage/delta`: concatenate `delta` per `itemId`. */
export const AgentMessageDeltaNotification = named(
  "AgentMessageDeltaNotification",
  z.object({ threadId: z.string(), turnId: z.string(), itemId: z.string(), delta: z.string() }),
);
/** Params of `item/agentMessage/delta`. */
export type AgentMessageDeltaNotification = z.infer<typeof AgentMessageDeltaNotification>;

/** Params of `error`. `willRetry: true` does not end the turn. */
export const ErrorNotification = named(
  "ErrorNotification",
  z.object({
    error: TurnError,
    willRetry: z.boolean(),
    threadId: z.string(),
    turnId: z.string(),
  }),
);
/** Params of `error`. */
export type ErrorNotification = z.infer<typeof ErrorNotification>;
