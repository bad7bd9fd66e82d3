// The baseline of the app-server bench: a bare NDJSON child that answers every request line with
// the bytes `account/read` answers when logged out, and nothing else (no validation, no state).
const RESULT = { account: null, userId: null, requiresOpenaiAuth: true, workspaceRouting: null };
let buffer = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  buffer += chunk;
  let out = "";
  for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
    const line = buffer.slice(0, nl);
    buffer = buffer.slice(nl + 1);
    if (line.trim() === "") continue;
    const message = JSON.parse(line);
    if (message.id !== undefined) out += `${JSON.stringify({ id: message.id, result: RESULT })}\n`;
  }
  if (out !== "") process.stdout.write(out);
});
process.stdin.on("end", () => process.exit(0));
