/**
 * Fuzz: 10,000 random and mutated lines through the decoder and through a live peer. The PRNG is
 * seeded, so a failure reproduces; the failing seed and line index are in the assertion message.
 */
import { PassThrough } from "node:stream";
import { silentLogger } from "@codex/wire";
import { describe, expect, it } from "vitest";
import { createClientPeer, createCodec, createServerPeer, type Role } from "../src/index.js";

const SEED = 0x5eed_c0de;
const LINES = 10_000;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALID = [
  '{"id":0,"method":"initialize","params":{"clientInfo":{"name":"acme","version":"1"},"capabilities":{"requestAttestation":true}}}',
  '{"method":"initialized"}',
  '{"id":1,"method":"account/read","params":{"refreshToken":false}}',
  '{"id":"x","method":"account/login/start","params":{"type":"chatgptAuthTokens","accessToken":"a","chatgptAccountId":"w"}}',
  '{"id":2,"method":"account/login/start","params":{"type":"chatgptAuthTokens","idToken":"i","accessToken":"a"}}',
  '{"id":3,"method":"turn/start","params":{"threadId":"t","input":[{"type":"text","text":"hi","text_elements":[]}]}}',
  '{"id":4,"method":"thread/start","params":{"approvalPolicy":{"granular":{"rules":true}},"config":{"a":[1,2,{"b":null}]}}}',
  '{"id":5,"method":"attestation/generate","params":{}}',
  '{"id":6,"method":"account/chatgptAuthTokens/refresh","params":{"reason":"unauthorized","previousAccountId":null}}',
  '{"id":1,"result":{"account":{"type":"chatgpt","email":"a@b.c","planType":"pro"},"requiresOpenaiAuth":true}}',
  '{"id":7,"result":{"token":"v1.x"}}',
  '{"id":"a7","error":{"code":-32600,"message":"Not initialized","data":{"reason":"x"}}}',
  '{"method":"item/agentMessage/delta","params":{"threadId":"t","turnId":"u","itemId":"i","delta":"Hel"}}',
  '{"method":"turn/completed","params":{"threadId":"t","turn":{"id":"u","items":[],"status":"completed","error":null}}}',
  '{"method":"account/rateLimits/updated","params":{"rateLimits":{"primary":{"usedPercent":1}}}}',
];

const TOKENS = [
  "{",
  "}",
  "[",
  "]",
  ",",
  ":",
  '"',
  "\\",
  "null",
  "true",
  "false",
  "0",
  "-1",
  "1e309",
  "-0",
  "1.5",
  "9007199254740993",
  '"__proto__"',
  '"constructor"',
  '"id"',
  '"method"',
  '"params"',
  '"result"',
  '"error"',
  '"jsonrpc"',
  '"2.0"',
  "\u0000",
  "\ud800",
  "é",
  "😀",
  "\r",
  "\t",
  " ",
];

function mutate(random: () => number, line: string): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const at = () => Math.floor(random() * (line.length + 1));
  switch (Math.floor(random() * 9)) {
    case 0: {
      const i = at();
      return line.slice(0, i) + line.slice(i + 1 + Math.floor(random() * 5));
    }
    case 1: {
      const i = at();
      return line.slice(0, i) + pick(TOKENS) + line.slice(i);
    }
    case 2:
      return line.slice(0, at());
    case 3: {
      // Swap a JSON value for a value of another type.
      const parsed = JSON.parse(line) as Record<string, unknown>;
      const keys = Object.keys(parsed);
      const key = pick(keys);
      parsed[key] = pick<unknown>([null, 1, -1.5, "s", [], {}, true, { __proto__: 1 }, 2 ** 64]);
      return JSON.stringify(parsed);
    }
    case 4: {
      const parsed = JSON.parse(line) as { params?: Record<string, unknown> };
      if (parsed.params && typeof parsed.params === "object") {
        const keys = Object.keys(parsed.params);
        if (keys.length > 0) delete parsed.params[pick(keys)];
        parsed.params[pick(["type", "threadId", "input", "__proto__", "x"])] = pick<unknown>([
          1,
          "x",
          null,
          [[]],
        ]);
      }
      return JSON.stringify(parsed);
    }
    case 5:
      return `${"[".repeat(1 + Math.floor(random() * 3000))}${"]".repeat(Math.floor(random() * 3000))}`;
    case 6: {
      let out = "";
      const length = Math.floor(random() * 80);
      for (let i = 0; i < length; i++) out += String.fromCharCode(Math.floor(random() * 0xffff));
      return out;
    }
    case 7: {
      let out = "";
      const length = Math.floor(random() * 40);
      for (let i = 0; i < length; i++) out += pick(TOKENS);
      return out;
    }
    default: {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      parsed.method = pick([
        "account/read",
        "turn/start",
        "initialized",
        "bogus",
        "",
        "toString",
        "__proto__",
        "error",
      ]);
      if (random() < 0.5) delete parsed.id;
      return JSON.stringify(parsed);
    }
  }
}

function generateLines(seed: number, count: number): string[] {
  const random = prng(seed);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    let line = VALID[Math.floor(random() * VALID.length)]!;
    const rounds = Math.floor(random() * 3);
    for (let r = 0; r < rounds; r++) {
      try {
        line = mutate(random, line);
      } catch {
        // A mutation that needs JSON met a line already broken: mutate as text instead.
        line = line.slice(0, Math.floor(random() * line.length));
      }
    }
    lines.push(line.replaceAll("\n", " "));
  }
  return lines;
}

const KINDS = new Set(["request", "notification", "response", "error", "rejected", "dropped"]);

describe(`fuzz (seed ${SEED.toString(16)}, ${LINES} lines)`, () => {
  const lines = generateLines(SEED, LINES);

  it("decodes every line on both sides without an exception, into a known classification", () => {
    const counts = new Map<string, number>();
    for (const role of ["client", "server"] as Role[]) {
      const codec = createCodec(role, { maxMessageBytes: 4096 });
      lines.forEach((line, index) => {
        let kind: string;
        try {
          const decoded = codec.decode(line);
          kind = decoded.kind;
          if (decoded.kind === "rejected") {
            // A due reply must itself be encodable.
            codec.encodeError(decoded.reply.id, decoded.reply.error);
          }
        } catch (error) {
          throw new Error(`seed ${SEED} line ${index} (${role}) threw: ${String(error)}`);
        }
        expect(KINDS.has(kind)).toBe(true);
        counts.set(kind, (counts.get(kind) ?? 0) + 1);
      });
    }
    // The corpus exercises every classification, not just garbage.
    for (const kind of KINDS) expect(counts.get(kind) ?? 0, kind).toBeGreaterThan(0);
  });

  it("a live server peer survives the whole corpus and still answers afterwards", async () => {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const warnings: string[] = [];
    createServerPeer({
      input: toServer,
      output: toClient,
      maxMessageBytes: 4096,
      logger: { ...silentLogger, warn: (message) => void warnings.push(message) },
      handlers: {
        initialize: () => ({ userAgent: "fuzz/0", platformFamily: "unix", platformOs: "linux" }),
        "account/read": () => ({ account: null, requiresOpenaiAuth: true }),
        "turn/start": () => ({ turn: { id: "u", items: [], status: "inProgress" } }),
      },
    });
    const client = createClientPeer({ input: toClient, output: new PassThrough() });
    // Feed the corpus in chunks of random size, so lines are split at arbitrary byte boundaries.
    const corpus = Buffer.from(`${lines.join("\n")}\n`, "utf8");
    const random = prng(SEED ^ 0xffff);
    for (let offset = 0; offset < corpus.length; ) {
      const size = 1 + Math.floor(random() * 2048);
      toServer.write(corpus.subarray(offset, offset + size));
      offset += size;
    }
    // A well-formed request after the storm goes through the same connection and gets its reply.
    const reply = new Promise<string>((resolve) => {
      let buffer = "";
      toClient.on("data", (chunk: Buffer) => {
        buffer += chunk.toString("utf8");
        const match = buffer.match(/\{"id":"after-fuzz"[^\n]*\}/);
        if (match) resolve(match[0]);
      });
    });
    toServer.write('{"id":"after-fuzz","method":"account/read","params":{}}\n');
    expect(JSON.parse(await reply)).toEqual({
      id: "after-fuzz",
      result: { account: null, requiresOpenaiAuth: true },
    });
    expect(warnings.length).toBeGreaterThan(0);
    client.close();
  });
});
