import type { ServerNotification } from "@codex/app-server-protocol";
import type { EngineTurn } from "./thread-items.js";

/** Where threads come from (rollout `source`, `thread.source`, the model client's headers). */
export type ThreadSessionSource = "cli" | "vscode" | "exec" | "mcp" | "unknown";

/** An environment of a thread (0.169: the local one). */
export type ThreadEnvironment = {
  readonly environmentId: string;
  readonly cwd: string;
  readonly runtimeWorkspaceRoots: string[];
};

/**
 * A thread as 0.169 returns it in `thread/start` and `thread/started`: the same keys in the same
 * order as the real app-server sent them (captured from `codex app-server` 0.169.0).
 */
export type EngineThread = {
  readonly id: string;
  readonly environments: ThreadEnvironment[];
  readonly extra: null;
  readonly sessionId: string;
  readonly forkedFromId: string | null;
  readonly attachedToThreadId: null;
  readonly parentThreadId: null;
  readonly preview: string;
  readonly ephemeral: boolean;
  readonly section: null;
  readonly sectionEnteredAt: null;
  readonly projectId: null;
  /** Files this engine creates are legacy (no `ordinal`); resumed ones keep their mode. */
  readonly historyMode: "legacy" | "paginated";
  readonly modelProvider: string;
  readonly model: string;
  readonly reasoningEffort: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly recencyAt: number;
  readonly status: { readonly type: "idle" };
  readonly path: string;
  readonly cwd: string;
  readonly cliVersion: string;
  readonly originator: string;
  readonly source: "cli" | "vscode" | "exec" | "unknown";
  readonly canAcceptDirectInput: boolean;
  readonly threadSource: null;
  readonly agentNickname: null;
  readonly agentRole: null;
  readonly gitInfo: null;
  readonly name: null;
  readonly daybreakEnabled: null;
  readonly turns: EngineTurn[];
};

/** The `thread/start` result (and `resumeThread`'s), keys as 0.169 sends them. */
export type ThreadStartResult = {
  readonly thread: EngineThread;
  readonly model: string;
  readonly modelProvider: string;
  readonly serviceTier: string | null;
  readonly disabledPluginIds: string[];
  readonly cwd: string;
  readonly runtimeWorkspaceRoots: string[];
  readonly instructionSources: string[];
  readonly approvalPolicy: "on-request";
  readonly approvalsReviewer: "user";
  readonly sandbox: { readonly type: "readOnly"; readonly networkAccess: false };
  readonly activePermissionProfile: { readonly id: string; readonly extends: null };
  readonly reasoningEffort: string | null;
  readonly multiAgentMode: "explicitRequestOnly";
};

/** What a `thread/start` result says of one thread. */
export interface ThreadView {
  readonly id: string;
  readonly cwd: string;
  readonly model: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly preview: string;
  readonly path: string;
  readonly historyMode: "legacy" | "paginated";
}

/** What a `thread/start` result says of the engine (the same for all its threads). */
export interface EngineFacts {
  readonly modelProvider: string;
  readonly reasoningEffort: string | null;
  readonly cliVersion: string;
  readonly originator: string;
  readonly sessionSource: ThreadSessionSource;
}

/** `thread.source` of a session source (0.169's `ThreadSource` has no `mcp`). */
export function threadSourceOf(source: ThreadSessionSource): EngineThread["source"] {
  return source === "mcp" ? "unknown" : source;
}

/** The `thread/start` result of a thread, keys in 0.169's order. */
export function threadStartResult(thread: ThreadView, facts: EngineFacts): ThreadStartResult {
  return {
    thread: {
      id: thread.id,
      environments: [
        { environmentId: "local", cwd: thread.cwd, runtimeWorkspaceRoots: [thread.cwd] },
      ],
      extra: null,
      sessionId: thread.id,
      forkedFromId: null,
      attachedToThreadId: null,
      parentThreadId: null,
      preview: thread.preview,
      ephemeral: false,
      section: null,
      sectionEnteredAt: null,
      projectId: null,
      historyMode: thread.historyMode,
      modelProvider: facts.modelProvider,
      model: thread.model,
      reasoningEffort: facts.reasoningEffort,
      createdAt: thread.createdAt,
      updatedAt: thread.updatedAt,
      recencyAt: thread.updatedAt,
      status: { type: "idle" },
      path: thread.path,
      cwd: thread.cwd,
      cliVersion: facts.cliVersion,
      originator: facts.originator,
      source: threadSourceOf(facts.sessionSource),
      canAcceptDirectInput: true,
      threadSource: null,
      agentNickname: null,
      agentRole: null,
      gitInfo: null,
      name: null,
      daybreakEnabled: null,
      turns: [],
    },
    model: thread.model,
    modelProvider: facts.modelProvider,
    serviceTier: null,
    disabledPluginIds: [],
    cwd: thread.cwd,
    runtimeWorkspaceRoots: [thread.cwd],
    instructionSources: [],
    approvalPolicy: "on-request",
    approvalsReviewer: "user",
    sandbox: { type: "readOnly", networkAccess: false },
    activePermissionProfile: { id: ":read-only", extends: null },
    reasoningEffort: facts.reasoningEffort,
    multiAgentMode: "explicitRequestOnly",
  };
}

/** The `thread/started` notification of a started (or resumed) thread. */
export function threadStartedNotification(result: ThreadStartResult): ServerNotification {
  const notification: ServerNotification = {
    method: "thread/started",
    params: { thread: result.thread },
  };
  return notification;
}
