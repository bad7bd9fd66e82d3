// Runs against the built packages:
//   pnpm turbo run build --filter=@codex/model-client... && node examples/stream-a-turn.mjs
import { scripts, startFakeBackend } from "@codex/fake-backend";
import { apiKeyAuth, createOpenAiProvider, ModelClient } from "../dist/index.js";

const backend = await startFakeBackend();
const client = new ModelClient({
  provider: createOpenAiProvider(backend.openaiBaseUrl),
  sessionId: "0199a000-0000-7000-8000-000000000001",
  threadId: "0199a000-0000-7000-8000-000000000002",
  installationId: "11111111-1111-4111-8111-111111111111",
  auth: apiKeyAuth("sk-example"),
});
const user = (text) => ({ type: "message", role: "user", content: [{ type: "input_text", text }] });
try {
  // Turn 1 over the WebSocket: prewarm (generate:false), then the turn with previous_response_id.
  const turn1 = client.newSession();
  await turn1.prewarm({ input: [] }, { model: "gpt-test" });
  const history = [user("Hello from the model client")];
  for await (const event of turn1.stream({ input: history }, { model: "gpt-test" })) {
    if (event.type === "output_text_delta") process.stdout.write(event.delta);
    if (event.type === "output_item_done") history.push(event.item);
  }
  turn1.close();
  process.stdout.write("\n");

  // Turn 2 reuses the socket; a cut stream is sent again, announced by a reconnecting event.
  backend.enqueue(scripts.disconnect("half an ans"), scripts.text("a whole answer"));
  history.push(user("And again"));
  const turn2 = client.newSession();
  for await (const event of turn2.stream({ input: history }, { model: "gpt-test" })) {
    if (event.type === "reconnecting")
      process.stdout.write(`\n[reconnecting ${event.attempt}/${event.maxAttempts}] `);
    if (event.type === "output_text_delta") process.stdout.write(event.delta);
  }
  turn2.close();
  process.stdout.write("\n");

  const upgrades = backend.state
    .requestsTo("openai.responses")
    .filter((r) => r.transport === "websocket");
  console.log(
    `${upgrades.length} WebSocket handshakes, ${upgrades.flatMap((r) => r.websocketMessages).length} response.create messages`,
  );
} finally {
  client.close();
  await backend.close();
}
