/**
 * `pnpm --filter @codex/wire bench`: cost of redaction per log line, beside the cost of only
 * serializing the same line (what a logger does without redaction), measured in the same run,
 * interleaved, median of several rounds.
 */
import { redactText, redactValue } from "../src/redact.js";

const ROUNDS = 5;
const ROUND_MS = 300;

function opsPerSecond(fn: () => unknown): number {
  const start = performance.now();
  const deadline = start + ROUND_MS;
  let ops = 0;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 64; i++) fn();
    ops += 64;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function compare(ours: () => unknown, baseline: () => unknown): [number, number] {
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    a.push(opsPerSecond(ours));
    b.push(opsPerSecond(baseline));
  }
  return [median(a), median(b)];
}

const plainLine =
  "http response method=POST url=https://chatgpt.com/backend-api/codex/responses status=200 durationMs=412";
const secretLine =
  'refresh failed: {"error":{"code":"invalid_grant"},"refresh_token":"rt_abcdefghijklmnop","id_token":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl"} Authorization: Bearer sk-proj-abcdefghijkl';
const fields = {
  method: "POST",
  url: "https://auth.openai.com/oauth/token?client_id=app_1",
  status: 401,
  access_token: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl",
  usage: { input_tokens: 12, output_tokens: 40 },
};

const rows: [string, () => unknown, () => unknown][] = [
  ["redactText, ordinary line", () => redactText(plainLine), () => JSON.stringify(plainLine)],
  ["redactText, line with secrets", () => redactText(secretLine), () => JSON.stringify(secretLine)],
  ["redactValue, log fields", () => redactValue(fields), () => JSON.stringify(fields)],
];

console.log(`node ${process.version}, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms, median\n`);
console.log(
  `${"operation".padEnd(32)}${"redacted".padStart(14)}${"JSON only".padStart(14)}   ratio`,
);
for (const [name, ours, baseline] of rows) {
  const [a, b] = compare(ours, baseline);
  const fmt = (n: number) => `${Math.round(n).toLocaleString("en-US")}/s`.padStart(14);
  console.log(`${name.padEnd(32)}${fmt(a)}${fmt(b)}   ${(a / b).toFixed(2)}x`);
}
