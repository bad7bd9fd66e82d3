import {
  AppServerProtocolError,
  INTERNAL_ERROR_CODE,
  INVALID_REQUEST_ERROR_CODE,
  type ServerNotification,
} from "@codex/app-server-protocol";
import { isJsonObject, type JsonObject } from "@codex/wire";
import type { ConnectionSession, ThreadSurface } from "./run-app-server.js";
import {
  createThreadEngine,
  type ThreadEngine,
  ThreadEngineError,
  threadStartedNotification,
  threadTokenUsageUpdatedParams,
} from "./threads/index.js";

function rpcError(error: unknown): unknown {
  if (!(error instanceof ThreadEngineError)) return error;
  const code =
    error.code === "rollout_failed" || error.code === "closed"
      ? INTERNAL_ERROR_CODE
      : INVALID_REQUEST_ERROR_CODE;
  return AppServerProtocolError.rpc(code, error.message);
}

/**
 * `thread/start`, `turn/start` and `turn/interrupt` of a connection, served by the thread engine
 * (`src/threads/`): `thread/started` follows the `thread/start` answer, a turn's notifications
 * follow the `turn/start` answer, and `close` (disconnect, SIGTERM) cancels the running turns and
 * flushes the rollouts.
 *
 * @example
 * await runAppServer({ stdin, stdout, config, threads: engineThreadSurface });
 */
export function engineThreadSurface(
  session: ConnectionSession,
  create: (options: Parameters<typeof createThreadEngine>[0]) => ThreadEngine = createThreadEngine,
): ThreadSurface {
  const engine = create({
    config: session.config,
    auth: session.auth,
    originator: session.originator,
    userAgent: session.userAgent,
    sessionSource: "vscode",
    attestation: session.attestation,
    logger: session.logger,
    env: session.env,
  });
  const forward = (notification: ServerNotification) =>
    session.notify(notification.method, notification.params as never);
  return {
    handlers: {
      "thread/start": async (params) => {
        let started: Awaited<ReturnType<ThreadEngine["startThread"]>>;
        try {
          started = await engine.startThread({ cwd: params.cwd, model: params.model });
        } catch (error) {
          throw rpcError(error);
        }
        session.afterReply(() => forward(threadStartedNotification(started)));
        return started;
      },
      "turn/start": async (params) => {
        try {
          const turn = await engine.startTurn(params.threadId, params.input, forward, {
            // decoded from the JSON line, so a JSON object throughout
            ...(isJsonObject(params.outputSchema)
              ? { outputSchema: params.outputSchema as JsonObject }
              : {}),
            // 0.169 reports the thread's usage after each model response that carried some
            onTokenUsageStep: (step) =>
              session.notify("thread/tokenUsage/updated", threadTokenUsageUpdatedParams(step)),
          });
          return { turn };
        } catch (error) {
          throw rpcError(error);
        }
      },
      "turn/interrupt": async (params) => {
        try {
          await engine.interruptTurn(params.threadId, params.turnId);
        } catch (error) {
          throw rpcError(error);
        }
        return {};
      },
    },
    close: () => engine.close(),
  };
}
