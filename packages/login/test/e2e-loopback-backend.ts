// A tiny, real ChatGPT-backend stand-in on 127.0.0.1 for the agent-identity end-to-end test:
// biscuit minting, agent registration, task registration (sealed task id), and one protected
// endpoint that accepts only a valid AgentAssertion of a registered agent and task.
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { sealTaskIdForPublicKey, verifyAgentAssertion } from "@codex/agent-identity";
import { registerSecret } from "./support/capture.js";
import { sendJson, startLoopbackServer } from "./support/loopback-server.js";

export interface LoopbackBackend {
  /** `http://127.0.0.1:{port}/backend-api`. */
  baseUrl: string;
  biscuit: string;
  agents: Map<string, { publicKey: string; tasks: Set<string>; abom: unknown }>;
  requests: Array<{ method: string; path: string; headers: IncomingMessage["headers"] }>;
  close(): Promise<void>;
}

export async function startLoopbackBackend(expectedAccessToken: string): Promise<LoopbackBackend> {
  const biscuit = registerSecret(`biscuit-${randomBytes(8).toString("hex")}`);
  const agents: LoopbackBackend["agents"] = new Map();
  const requests: LoopbackBackend["requests"] = [];
  let nextAgent = 0;
  const server = await startLoopbackServer(({ req, url, body: text }, res) => {
    requests.push({ method: req.method ?? "", path: url.pathname, headers: req.headers });
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) =>
      sendJson(res, status, json, headers);
    const p = url.pathname;
    if (req.method === "GET" && p === "/backend-api/authenticate_app_v2") {
      if (req.headers.authorization !== `Bearer ${expectedAccessToken}`) {
        return send(401, { error: "bad bearer" });
      }
      return send(200, {}, { "x-openai-authorization": biscuit });
    }
    if (req.headers["x-openai-authorization"] !== undefined) {
      if (req.headers["x-openai-authorization"] !== biscuit) return send(401, { error: "biscuit" });
    }
    if (req.method === "POST" && p === "/backend-api/v1/agent/register") {
      if (req.headers["x-openai-authorization"] !== biscuit) return send(401, { error: "biscuit" });
      const json = JSON.parse(text) as { agent_public_key: string; abom: unknown };
      const id = `agent-e2e-${++nextAgent}`;
      agents.set(id, { publicKey: json.agent_public_key, tasks: new Set(), abom: json.abom });
      return send(200, { agent_runtime_id: id });
    }
    const task = /^\/backend-api\/v1\/agent\/([^/]+)\/task\/register$/.exec(p);
    if (req.method === "POST" && task) {
      if (req.headers["x-openai-authorization"] !== biscuit) return send(401, { error: "biscuit" });
      const agent = agents.get(task[1] ?? "");
      if (!agent) return send(404, { error: "unknown agent" });
      const taskId = `task-e2e-${agent.tasks.size + 1}`;
      agent.tasks.add(taskId);
      return send(200, { encrypted_task_id: sealTaskIdForPublicKey(agent.publicKey, taskId) });
    }
    if (p === "/backend-api/protected") {
      const auth = req.headers.authorization ?? "";
      for (const [id, agent] of agents) {
        try {
          const v = verifyAgentAssertion(auth, agent.publicKey);
          if (v.agentRuntimeId === id && agent.tasks.has(v.taskId)) {
            return send(200, {
              agent: id,
              task: v.taskId,
              accountHeader: req.headers["chatgpt-account-id"] ?? null,
            });
          }
        } catch {
          // try the next agent
        }
      }
      return send(401, { error: "not an agent assertion" });
    }
    send(404, { error: "not found" });
  });
  return {
    baseUrl: `${server.origin}/backend-api`,
    biscuit,
    agents,
    requests,
    close: () => server.close(),
  };
}
