// Runnable example for @codex/agent-identity (run `pnpm --filter @codex/agent-identity build` first,
// or `pnpm demo` from the repository root). Prints only public values: the private key never
// leaves this process.
import {
  authorizationHeaderForAgentTask,
  decryptTaskIdResponse,
  generateAgentKeyMaterial,
  sealTaskIdForPublicKey,
  signTaskRegistrationPayload,
  verifyAgentAssertion,
} from "@codex/agent-identity";

// 1. The agent generates its key; the private half (a Secret from @codex/wire, which prints as
//    [REDACTED]) would be stored in auth.json through its reveal().
const { privateKeyPkcs8Base64, publicKeySsh } = generateAgentKeyMaterial();
console.log(`agent public key:  ${publicKeySsh}`);

// 2. Registration returned a runtime id; registering a task is signed with the key.
const key = { agentRuntimeId: "agent-123", privateKeyPkcs8Base64 };
const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
const registrationSignature = signTaskRegistrationPayload(key, timestamp);
console.log(`task registration: signed at ${timestamp} (${registrationSignature.length} chars)`);

// 3. The backend answers with the task id sealed to the agent's public key ...
const encryptedTaskId = sealTaskIdForPublicKey(publicKeySsh, "task-123");
console.log(`encrypted_task_id: ${encryptedTaskId}`);

// ... which only the agent can open.
const taskId = decryptTaskIdResponse(key, encryptedTaskId);
console.log(`decrypted task id: ${taskId}`);

// 4. Requests for that task carry an AgentAssertion header ...
const header = authorizationHeaderForAgentTask(key, { agentRuntimeId: "agent-123", taskId });
console.log(`Authorization:     ${header}`);

// ... that the backend checks against the registered public key.
const verified = verifyAgentAssertion(header, publicKeySsh);
console.log(`verified:          ${JSON.stringify(verified)}`);

if (verified.taskId !== "task-123" || verified.agentRuntimeId !== "agent-123") {
  throw new Error("round trip failed");
}
