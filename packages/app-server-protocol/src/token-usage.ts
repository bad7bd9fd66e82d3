import { z } from "zod";
import { named } from "./internal/schema-registry.js";

/** Token counts of one model response, or a thread's running total. */
export const TokenUsageBreakdown = named(
  "TokenUsageBreakdown",
  z.object({
    totalTokens: z.int(),
    inputTokens: z.int(),
    cachedInputTokens: z.int(),
    cacheWriteInputTokens: z.int().optional(),
    outputTokens: z.int(),
    reasoningOutputTokens: z.int(),
  }),
);
/** Token counts of one model response, or a thread's running total. */
export type TokenUsageBreakdown = z.infer<typeof TokenUsageBreakdown>;

/** A thread's usage: the running total, the last response's, the model's context window. */
export const ThreadTokenUsage = named(
  "ThreadTokenUsage",
  z.object({
    total: TokenUsageBreakdown,
    last: TokenUsageBreakdown,
    modelContextWindow: z.int().nullable().optional(),
  }),
);
/** A thread's usage. */
export type ThreadTokenUsage = z.infer<typeof ThreadTokenUsage>;

/** Params of `thread/tokenUsage/updated`, sent after each model response that reported usage. */
export const ThreadTokenUsageUpdatedNotification = named(
  "ThreadTokenUsageUpdatedNotification",
  z.object({ threadId: z.string(), turnId: z.string(), tokenUsage: ThreadTokenUsage }),
);
/** Params of `thread/tokenUsage/updated`. */
export type ThreadTokenUsageUpdatedNotification = z.infer<
  typeof ThreadTokenUsageUpdatedNotification
>;
