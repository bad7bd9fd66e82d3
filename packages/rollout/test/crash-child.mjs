// Records numbered items in a loop until killed. Prints "ready <path>" once the file exists and
// "progress <n>" after every 200 items are on disk. Used by crash.test.ts. Plain JavaScript on the
// built package, so the child starts with plain `node` like a real second process (the package's
// test task runs after its build).
import { RolloutRecorder } from "../dist/index.js";

const [codexHome, threadId] = process.argv.slice(2);
const rec = RolloutRecorder.create({
  codexHome,
  threadId,
  cwd: "/srv",
  cliVersion: "0.0.0",
  source: "exec",
  modelProvider: "openai",
  baseInstructions: null,
  gitInfo: null,
});
await rec.persist();
process.stdout.write(`ready ${rec.path}\n`);
for (let n = 0; ; n++) {
  // Sizes vary so that writes of several pages are in flight when the signal lands.
  const pad = "p".repeat((n * 7919) % 40_000);
  await rec.recordItems([
    {
      type: "event_msg",
      payload: { type: "agent_message", message: `seq ${n} ${pad}`, phase: null },
    },
  ]);
  if (n % 200 === 199) {
    // Barrier only for the report: the loop goes on recording while the parent reacts.
    await rec.flush();
    process.stdout.write(`progress ${n}\n`);
  }
}
