// The keyring helper program: started by keyring-process.ts as `node keyring-worker.js`, one
// process per keyring operation, so a Secret Service that hangs can be killed (the native calls
// block their thread). It reads one JSON request on stdin (never argv: secrets must not show in
// `ps`), calls @napi-rs/keyring synchronously and prints one JSON answer on stdout:
// `{ "ok": true, "value": string | null | boolean }` or `{ "ok": false, "message": string }`.
//
// Entry.getPassword() and Entry.deletePassword() answer null / false both for "no entry" and for
// "no Secret Service at all" (the library swallows the error), so a miss is confirmed with
// findCredentials(), which throws when the store cannot be reached (Linux: no D-Bus session or no
// Secret Service): an unreachable keyring is an error, never a silent "not logged in" or a logout
// that removed nothing.
import type { KeyringRequest } from "./keyring-process.js";

type Answer =
  | { readonly ok: true; readonly value: string | null | boolean }
  | { readonly ok: false; readonly message: string };

function noEntry(err: unknown): boolean {
  return /no.?entry|no matching entry/i.test(err instanceof Error ? err.message : "");
}

// Only the Secret Service (Linux) can be missing altogether; elsewhere a miss is a miss.
function confirmMiss(keyring: Keyring, service: string): void {
  if (process.platform === "linux") keyring.findCredentials(service);
}

type Keyring = typeof import("@napi-rs/keyring");

async function run(req: KeyringRequest): Promise<Answer> {
  // loaded here, not at the top, so that a native module that fails to load is answered as a
  // keyring error like any other
  const keyring: Keyring = await import("@napi-rs/keyring");
  const entry = new keyring.Entry(req.service, req.account);
  switch (req.op) {
    case "get": {
      let value: string | null;
      try {
        value = entry.getPassword() ?? null;
      } catch (err) {
        if (!noEntry(err)) throw err;
        value = null;
      }
      if (value === null) confirmMiss(keyring, req.service);
      return { ok: true, value };
    }
    case "set":
      entry.setPassword(req.value);
      return { ok: true, value: null };
    case "delete": {
      let removed: boolean;
      try {
        removed = entry.deletePassword() !== false;
      } catch (err) {
        if (!noEntry(err)) throw err;
        removed = false;
      }
      if (!removed) confirmMiss(keyring, req.service);
      return { ok: true, value: removed };
    }
  }
}

let input = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) input += chunk;
let answer: Answer;
try {
  answer = await run(JSON.parse(input) as KeyringRequest);
} catch (err) {
  const message = err instanceof Error && err.message ? err.message : String(err);
  answer = { ok: false, message: (message.split("\n")[0] ?? "").slice(0, 300) };
}
process.stdout.write(JSON.stringify(answer));
