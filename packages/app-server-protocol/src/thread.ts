import { z } from "zod";
import { named } from "./internal/schema-registry.js";
import { AskForApproval, Personality, Turn } from "./turn.js";

/** Sandbox mode of a thread. */
export const SandboxMode = named(
  "SandboxMode",
  z.enum(["read-only", "workspace-write", "danger-full-access"]),
);
/** Sandbox mode of a thread. */
export type SandboxMode = z.infer<typeof SandboxMode>;

/**
 * A thread. Only `id` is required here (spec examples abbreviate it); every other member upstream
 * sends (`status`, `source`, `gitInfo`, ...) passes through untouched.
 */
export const Thread = named(
  "Thread",
  z.looseObject({
    id: z.string(),
    preview: z.string().optional(),
    modelProvider: z.string().optional(),
    createdAt: z.int().optional(),
    updatedAt: z.int().optional(),
    path: z.string().nullable().optional(),
    cwd: z.string().optional(),
    cliVersion: z.string().optional(),
    name: z.string().nullable().optional(),
    turns: z.array(Turn).optional(),
  }),
);
/** A thread. */
export type Thread = z.infer<typeof Thread>;

/** Params of `thread/start` (all optional; send `{}` at least). Unmodelled members are dropped by parsing. */
export const ThreadStartParams = named(
  "ThreadStartParams",
  z.object({
    model: z.string().nullable().optional(),
    modelProvider: z.string().nullable().optional(),
    cwd: z.string().nullable().optional(),
    approvalPolicy: AskForApproval.nullable().optional(),
    sandbox: SandboxMode.nullable().optional(),
    config: z.record(z.string(), z.unknown()).nullable().optional(),
    baseInstructions: z.string().nullable().optional(),
    developerInstructions: z.string().nullable().optional(),
    personality: Personality.nullable().optional(),
    ephemeral: z.boolean().nullable().optional(),
    serviceName: z.string().nullable().optional(),
  }),
);
/** Params of `thread/start`. */
export type ThreadStartParams = z.infer<typeof ThreadStartParams>;

/** Result of `thread/start`. Members beyond these pass through. */
export const ThreadStartResponse = named(
  "ThreadStartResponse",
  z.looseObject({
    thread: Thread,
    model: z.string(),
    modelProvider: z.string(),
    cwd: z.string(),
    approvalPolicy: AskForApproval.optional(),
    sandbox: z.unknown().optional(),
    reasoningEffort: z.string().nullable().optional(),
  }),
);
/** Result of `thread/start`. */
export type ThreadStartResponse = z.infer<typeof ThreadStartResponse>;

/** Params of `thread/started`. */
export const ThreadStartedNotification = named(
  "ThreadStartedNotification",
  z.object({ thread: Thread }),
);
/** Params of `thread/started`. */
export type ThreadStartedNotification = z.infer<typeof ThreadStartedNotification>;
