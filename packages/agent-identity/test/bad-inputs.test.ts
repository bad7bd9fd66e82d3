/**
 * Table-driven bad input for every public function: wrong type, empty, truncated and oversized
 * values each give a typed AgentIdentityError with a stable code, never a crash, never a secret in
 * the message, and no side effect (nothing is cached from a failed call).
 */
import { Secret } from "@codex/wire";
import { describe, expect, it } from "vitest";
import {
  AgentIdentityError,
  type AgentIdentityErrorCode,
  agentBillOfMaterialsToJson,
  agentIdentityBiscuitUrl,
  agentIdentityRequestId,
  agentRegistrationUrl,
  agentTaskRegistrationUrl,
  authorizationHeaderForAgentTask,
  buildAbom,
  curve25519SecretKeyFromPrivateKeyPkcs8Base64,
  decodeSshEd25519PublicKey,
  decryptTaskIdResponse,
  encodeSshEd25519PublicKey,
  generateAgentKeyMaterial,
  normalizeChatgptBaseUrl,
  publicKeySshFromPrivateKeyPkcs8Base64,
  rustOsName,
  sealTaskIdForPublicKey,
  sessionSourceDisplay,
  signTaskRegistrationPayload,
  supportsBackgroundAgentTaskAuth,
  verifyAgentAssertion,
  verifyingKeyFromPrivateKeyPkcs8Base64,
  verifyTaskRegistrationSignature,
} from "../src/index.js";
import { privateKeyCacheSize } from "../src/internal/private-key.js";

// seed-07 from the golden vectors (the Rust crate's own test key).
const PRIVATE_KEY_TEXT = "MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH";
const PRIVATE_KEY = new Secret(PRIVATE_KEY_TEXT);
const secret = (text: string) => new Secret(text);
/** What another installed copy of @codex/wire makes: the registered brand, a reveal() method. */
const SECRET_BRAND = Symbol.for("codex.wire.secret");
const PUBLIC_KEY_SSH =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs";
const KEY = { agentRuntimeId: "agent-123", privateKeyPkcs8Base64: PRIVATE_KEY };
const TARGET = { agentRuntimeId: "agent-123", taskId: "task-123" };
const NOW = new Date("2026-04-15T00:00:00Z");
const HEADER = authorizationHeaderForAgentTask(KEY, TARGET, { now: NOW });
const SEALED = sealTaskIdForPublicKey(PUBLIC_KEY_SSH, "task-123");
const HUGE = "A".repeat(2_000_000);
const LONE_SURROGATE = "task-\ud800";
const STAMP = "2026-04-15T00:00:00Z";
const REGISTRATION_SIG = signTaskRegistrationPayload(KEY, STAMP);
// Lets each row pass values the TypeScript signature forbids.
type Loose = (...args: unknown[]) => unknown;
const loose = (fn: unknown) => fn as Loose;

interface Row {
  name: string;
  call: () => unknown;
  code: AgentIdentityErrorCode;
}

function rows(fn: unknown, cases: [string, unknown[], AgentIdentityErrorCode][]): Row[] {
  return cases.map(([name, args, code]) => ({ name, call: () => loose(fn)(...args), code }));
}

const privateKeyCases = (fn: unknown) =>
  rows(fn, [
    ["undefined", [undefined], "invalid_argument"],
    ["null", [null], "invalid_argument"],
    ["number", [42], "invalid_argument"],
    ["object", [{}], "invalid_argument"],
    ["bytes", [new Uint8Array(48)], "invalid_argument"],
    ["plain string (a valid key, not wrapped in a Secret)", [PRIVATE_KEY_TEXT], "invalid_argument"],
    ["plain empty string", [""], "invalid_argument"],
    ["look-alike without the brand", [{ reveal: () => PRIVATE_KEY_TEXT }], "invalid_argument"],
    [
      "branded, reveal() not a string",
      [{ [SECRET_BRAND]: true, reveal: () => 5 }],
      "invalid_argument",
    ],
    ["empty", [secret("")], "invalid_private_key_pkcs8"],
    ["truncated", [secret(PRIVATE_KEY_TEXT.slice(0, 60))], "invalid_private_key_pkcs8"],
    [
      "truncated mid-quantum",
      [secret(PRIVATE_KEY_TEXT.slice(0, 62))],
      "invalid_private_key_base64",
    ],
    ["oversized base64", [secret(PRIVATE_KEY_TEXT.repeat(1000))], "invalid_private_key_pkcs8"],
    ["oversized junk", [secret(HUGE)], "invalid_private_key_pkcs8"],
    ["oversized non-base64", [secret(`${HUGE}!`)], "invalid_private_key_base64"],
  ]);

const table: Record<string, Row[]> = {
  generateAgentKeyMaterial: rows(generateAgentKeyMaterial, [
    ["options null", [null], "invalid_argument"],
    ["options string", ["x"], "invalid_argument"],
    ["options array", [[]], "invalid_argument"],
    ["randomBytes not a function", [{ randomBytes: 5 }], "invalid_argument"],
    [
      "randomBytes throws",
      [
        {
          randomBytes: () => {
            throw new Error("no entropy");
          },
        },
      ],
      "random_generation_failed",
    ],
    ["randomBytes empty", [{ randomBytes: () => new Uint8Array(0) }], "random_generation_failed"],
    [
      "randomBytes truncated",
      [{ randomBytes: () => new Uint8Array(31) }],
      "random_generation_failed",
    ],
    [
      "randomBytes oversized",
      [{ randomBytes: () => new Uint8Array(33) }],
      "random_generation_failed",
    ],
    ["randomBytes wrong type", [{ randomBytes: () => [1, 2, 3] }], "random_generation_failed"],
  ]),
  publicKeySshFromPrivateKeyPkcs8Base64: privateKeyCases(publicKeySshFromPrivateKeyPkcs8Base64),
  verifyingKeyFromPrivateKeyPkcs8Base64: privateKeyCases(verifyingKeyFromPrivateKeyPkcs8Base64),
  curve25519SecretKeyFromPrivateKeyPkcs8Base64: privateKeyCases(
    curve25519SecretKeyFromPrivateKeyPkcs8Base64,
  ),
  encodeSshEd25519PublicKey: rows(encodeSshEd25519PublicKey, [
    ["undefined", [undefined], "invalid_argument"],
    ["string", ["ssh-ed25519 AAAA"], "invalid_argument"],
    ["number array", [Array(32).fill(0)], "invalid_argument"],
    ["empty", [new Uint8Array(0)], "invalid_argument"],
    ["truncated", [new Uint8Array(31)], "invalid_argument"],
    ["oversized", [new Uint8Array(1 << 20)], "invalid_argument"],
  ]),
  decodeSshEd25519PublicKey: rows(decodeSshEd25519PublicKey, [
    ["undefined", [undefined], "invalid_argument"],
    ["bytes", [new Uint8Array(32)], "invalid_argument"],
    ["empty", [""], "invalid_public_key"],
    ["type only", ["ssh-ed25519 "], "invalid_public_key"],
    ["truncated", [PUBLIC_KEY_SSH.slice(0, -4)], "invalid_public_key"],
    ["oversized", [`${PUBLIC_KEY_SSH} ${HUGE}`], "input_too_large"],
    ["other key type", [PUBLIC_KEY_SSH.replace("ssh-ed25519 ", "ssh-rsa ")], "invalid_public_key"],
    ["trailing newline", [`${PUBLIC_KEY_SSH}\n`], "invalid_public_key"],
    ["empty comment", [`${PUBLIC_KEY_SSH} `], "invalid_public_key"],
    ["two spaces", [PUBLIC_KEY_SSH.replace(" ", "  ")], "invalid_public_key"],
  ]),
  authorizationHeaderForAgentTask: rows(authorizationHeaderForAgentTask, [
    ["key null", [null, TARGET], "invalid_argument"],
    ["key string", [PRIVATE_KEY_TEXT, TARGET], "invalid_argument"],
    ["key Secret", [PRIVATE_KEY, TARGET], "invalid_argument"],
    [
      "key private key a plain string",
      [{ ...KEY, privateKeyPkcs8Base64: PRIVATE_KEY_TEXT }, TARGET],
      "invalid_argument",
    ],
    ["key runtime id number", [{ ...KEY, agentRuntimeId: 1 }, TARGET], "invalid_argument"],
    ["key without private key", [{ agentRuntimeId: "agent-123" }, TARGET], "invalid_argument"],
    [
      "key private key empty",
      [{ ...KEY, privateKeyPkcs8Base64: secret("") }, TARGET],
      "invalid_private_key_pkcs8",
    ],
    [
      "key private key truncated",
      [{ ...KEY, privateKeyPkcs8Base64: secret(PRIVATE_KEY_TEXT.slice(0, 60)) }, TARGET],
      "invalid_private_key_pkcs8",
    ],
    ["target undefined", [KEY, undefined], "invalid_argument"],
    ["target array", [KEY, []], "invalid_argument"],
    ["task id number", [KEY, { ...TARGET, taskId: 7 }], "invalid_argument"],
    ["task id oversized", [KEY, { ...TARGET, taskId: HUGE }], "input_too_large"],
    ["task id lone surrogate", [KEY, { ...TARGET, taskId: LONE_SURROGATE }], "invalid_argument"],
    ["runtime id oversized", [{ ...KEY, agentRuntimeId: HUGE }, TARGET], "input_too_large"],
    ["runtime mismatch", [KEY, { ...TARGET, agentRuntimeId: "agent-456" }], "runtime_mismatch"],
    [
      "runtime mismatch by case",
      [KEY, { ...TARGET, agentRuntimeId: "AGENT-123" }],
      "runtime_mismatch",
    ],
    ["options null", [KEY, TARGET, null], "invalid_argument"],
    ["now string", [KEY, TARGET, { now: "2026-04-15T00:00:00Z" }], "invalid_argument"],
    ["now invalid date", [KEY, TARGET, { now: new Date(Number.NaN) }], "invalid_argument"],
    ["now clock returns number", [KEY, TARGET, { now: () => 0 }], "invalid_argument"],
    [
      "now past year 9999",
      [KEY, TARGET, { now: new Date("+010000-01-01T00:00:00Z") }],
      "invalid_argument",
    ],
  ]),
  signTaskRegistrationPayload: rows(signTaskRegistrationPayload, [
    ["key undefined", [undefined, "2026-04-15T00:00:00Z"], "invalid_argument"],
    ["timestamp number", [KEY, 1_776_211_200], "invalid_argument"],
    ["timestamp Date", [KEY, NOW], "invalid_argument"],
    ["timestamp oversized", [KEY, HUGE], "input_too_large"],
    ["timestamp lone surrogate", [KEY, LONE_SURROGATE], "invalid_argument"],
    [
      "private key not base64",
      [{ ...KEY, privateKeyPkcs8Base64: secret("not base64!") }, "t"],
      "invalid_private_key_base64",
    ],
    [
      "private key a plain string",
      [{ ...KEY, privateKeyPkcs8Base64: PRIVATE_KEY_TEXT }, "t"],
      "invalid_argument",
    ],
  ]),
  decryptTaskIdResponse: rows(decryptTaskIdResponse, [
    ["key null", [null, SEALED], "invalid_argument"],
    ["ciphertext number", [KEY, 5], "invalid_argument"],
    ["ciphertext bytes", [KEY, new Uint8Array(64)], "invalid_argument"],
    ["ciphertext empty", [KEY, ""], "task_id_decryption_failed"],
    [
      "ciphertext truncated (base64)",
      [KEY, SEALED.slice(0, -1)],
      "invalid_encrypted_task_id_base64",
    ],
    ["ciphertext truncated (box)", [KEY, SEALED.slice(0, 64)], "task_id_decryption_failed"],
    ["ciphertext oversized", [KEY, HUGE], "input_too_large"],
    [
      "private key bad",
      [{ ...KEY, privateKeyPkcs8Base64: secret("AAAA") }, SEALED],
      "invalid_private_key_pkcs8",
    ],
    [
      "private key a plain string",
      [{ ...KEY, privateKeyPkcs8Base64: PRIVATE_KEY_TEXT }, SEALED],
      "invalid_argument",
    ],
  ]),
  sealTaskIdForPublicKey: rows(sealTaskIdForPublicKey, [
    ["public key number", [5, "task"], "invalid_argument"],
    ["public key empty string", ["", "task"], "invalid_public_key"],
    ["public key empty bytes", [new Uint8Array(0), "task"], "invalid_public_key"],
    ["public key truncated", [new Uint8Array(31), "task"], "invalid_public_key"],
    ["public key oversized", [new Uint8Array(64), "task"], "invalid_public_key"],
    [
      "public key identity point (small order)",
      [Uint8Array.of(1, ...new Uint8Array(31)), "task"],
      "invalid_public_key",
    ],
    [
      "public key not on curve",
      [Uint8Array.of(2, ...new Uint8Array(31)), "task"],
      "invalid_public_key",
    ],
    ["task id number", [PUBLIC_KEY_SSH, 1], "invalid_argument"],
    ["task id oversized", [PUBLIC_KEY_SSH, HUGE], "input_too_large"],
    ["task id lone surrogate", [PUBLIC_KEY_SSH, LONE_SURROGATE], "invalid_argument"],
    ["options number", [PUBLIC_KEY_SSH, "task", 1], "invalid_argument"],
    [
      "randomBytes throws",
      [
        PUBLIC_KEY_SSH,
        "task",
        {
          randomBytes: () => {
            throw new Error("x");
          },
        },
      ],
      "random_generation_failed",
    ],
    [
      "randomBytes truncated",
      [PUBLIC_KEY_SSH, "task", { randomBytes: () => new Uint8Array(16) }],
      "random_generation_failed",
    ],
  ]),
  verifyAgentAssertion: rows(verifyAgentAssertion, [
    ["header undefined", [undefined, PUBLIC_KEY_SSH, { now: NOW }], "invalid_argument"],
    ["header bytes", [new Uint8Array(10), PUBLIC_KEY_SSH, { now: NOW }], "invalid_argument"],
    ["header empty", ["", PUBLIC_KEY_SSH, { now: NOW }], "invalid_assertion_scheme"],
    [
      "header truncated",
      [HEADER.slice(0, -5), PUBLIC_KEY_SSH, { now: NOW }],
      "invalid_assertion_envelope",
    ],
    [
      "header oversized",
      [`AgentAssertion ${HUGE}`, PUBLIC_KEY_SSH, { now: NOW }],
      "input_too_large",
    ],
    ["public key null", [HEADER, null, { now: NOW }], "invalid_argument"],
    [
      "public key truncated",
      [HEADER, PUBLIC_KEY_SSH.slice(0, -2), { now: NOW }],
      "invalid_public_key",
    ],
    ["public key wrong length", [HEADER, new Uint8Array(33), { now: NOW }], "invalid_public_key"],
    ["options string", [HEADER, PUBLIC_KEY_SSH, "x"], "invalid_argument"],
    [
      "maxSkewSeconds negative",
      [HEADER, PUBLIC_KEY_SSH, { now: NOW, maxSkewSeconds: -1 }],
      "invalid_argument",
    ],
    [
      "maxSkewSeconds NaN",
      [HEADER, PUBLIC_KEY_SSH, { now: NOW, maxSkewSeconds: Number.NaN }],
      "invalid_argument",
    ],
    [
      "maxSkewSeconds string",
      [HEADER, PUBLIC_KEY_SSH, { now: NOW, maxSkewSeconds: "300" }],
      "invalid_argument",
    ],
    ["now invalid", [HEADER, PUBLIC_KEY_SSH, { now: new Date("nope") }], "invalid_argument"],
    [
      "expired",
      [HEADER, PUBLIC_KEY_SSH, { now: new Date("2026-04-15T00:05:01Z") }],
      "assertion_expired",
    ],
    [
      "from the future",
      [HEADER, PUBLIC_KEY_SSH, { now: new Date("2026-04-14T23:54:59Z") }],
      "assertion_expired",
    ],
  ]),
  verifyTaskRegistrationSignature: rows(verifyTaskRegistrationSignature, [
    ["key undefined", [undefined, "agent-123", STAMP, REGISTRATION_SIG], "invalid_argument"],
    [
      "key garbage",
      ["ssh-ed25519 AAAA", "agent-123", STAMP, REGISTRATION_SIG],
      "invalid_public_key",
    ],
    ["runtime number", [PUBLIC_KEY_SSH, 123, STAMP, REGISTRATION_SIG], "invalid_argument"],
    ["runtime oversized", [PUBLIC_KEY_SSH, HUGE, STAMP, REGISTRATION_SIG], "input_too_large"],
    ["timestamp Date", [PUBLIC_KEY_SSH, "agent-123", NOW, REGISTRATION_SIG], "invalid_argument"],
    [
      "timestamp lone surrogate",
      [PUBLIC_KEY_SSH, "agent-123", LONE_SURROGATE, REGISTRATION_SIG],
      "invalid_argument",
    ],
    ["signature undefined", [PUBLIC_KEY_SSH, "agent-123", STAMP, undefined], "invalid_argument"],
    ["signature oversized", [PUBLIC_KEY_SSH, "agent-123", STAMP, HUGE], "input_too_large"],
    ["signature empty", [PUBLIC_KEY_SSH, "agent-123", STAMP, ""], "invalid_registration_signature"],
    [
      "signature truncated",
      [PUBLIC_KEY_SSH, "agent-123", STAMP, REGISTRATION_SIG.slice(0, -4)],
      "invalid_registration_signature",
    ],
    [
      "other runtime",
      [PUBLIC_KEY_SSH, "agent-456", STAMP, REGISTRATION_SIG],
      "invalid_registration_signature",
    ],
  ]),
  agentRegistrationUrl: rows(agentRegistrationUrl, [
    ["undefined", [undefined], "invalid_argument"],
    ["URL object", [new URL("https://chatgpt.com")], "invalid_argument"],
    ["empty", [""], "invalid_argument"],
    ["oversized", [`https://chatgpt.com/${HUGE}`], "input_too_large"],
  ]),
  agentTaskRegistrationUrl: rows(agentTaskRegistrationUrl, [
    ["base undefined", [undefined, "agent-123"], "invalid_argument"],
    ["base empty", ["", "agent-123"], "invalid_argument"],
    ["base oversized", [HUGE, "agent-123"], "input_too_large"],
    ["runtime id number", ["https://chatgpt.com", 5], "invalid_argument"],
    ["runtime id empty", ["https://chatgpt.com", ""], "invalid_argument"],
    ["runtime id with slash", ["https://chatgpt.com", "../admin"], "invalid_argument"],
    ["runtime id with query", ["https://chatgpt.com", "a?b=c"], "invalid_argument"],
    ["runtime id oversized", ["https://chatgpt.com", HUGE], "input_too_large"],
  ]),
  agentIdentityBiscuitUrl: rows(agentIdentityBiscuitUrl, [
    ["null", [null], "invalid_argument"],
    ["empty", [""], "invalid_argument"],
    ["oversized", [HUGE], "input_too_large"],
  ]),
  normalizeChatgptBaseUrl: rows(normalizeChatgptBaseUrl, [
    ["number", [1], "invalid_argument"],
    ["oversized", [HUGE], "input_too_large"],
  ]),
  supportsBackgroundAgentTaskAuth: rows(supportsBackgroundAgentTaskAuth, [
    ["undefined", [undefined], "invalid_argument"],
    ["URL object", [new URL("https://chatgpt.com")], "invalid_argument"],
    ["oversized", [`https://chatgpt.com/${HUGE}`], "input_too_large"],
  ]),
  agentIdentityRequestId: rows(agentIdentityRequestId, [
    ["options null", [null], "invalid_argument"],
    ["randomBytes not a function", [{ randomBytes: "x" }], "invalid_argument"],
    [
      "randomBytes throws",
      [
        {
          randomBytes: () => {
            throw new Error("x");
          },
        },
      ],
      "random_generation_failed",
    ],
    ["randomBytes empty", [{ randomBytes: () => new Uint8Array(0) }], "random_generation_failed"],
    [
      "randomBytes oversized",
      [{ randomBytes: () => new Uint8Array(17) }],
      "random_generation_failed",
    ],
  ]),
  buildAbom: rows(buildAbom, [
    ["undefined", [undefined], "invalid_argument"],
    ["empty string", [""], "invalid_argument"],
    ["wrong case", ["CLI"], "invalid_argument"],
    ["empty object", [{}], "invalid_argument"],
    ["custom number", [{ custom: 1 }], "invalid_argument"],
    ["custom oversized", [{ custom: HUGE }], "input_too_large"],
    ["two members", [{ custom: "a", subagent: "review" }], "invalid_argument"],
    ["unknown subagent", [{ subagent: "nope" }], "invalid_argument"],
    [
      "thread_spawn without depth",
      [{ subagent: { thread_spawn: { parent_thread_id: "t" } } }],
      "invalid_argument",
    ],
    ["options number", ["cli", 3], "invalid_argument"],
    ["agentVersion number", ["cli", { agentVersion: 1 }], "invalid_argument"],
    ["os oversized", ["cli", { os: HUGE }], "input_too_large"],
  ]),
  sessionSourceDisplay: rows(sessionSourceDisplay, [
    ["null", [null], "invalid_argument"],
    ["array", [["cli"]], "invalid_argument"],
    ["subagent other number", [{ subagent: { other: 5 } }], "invalid_argument"],
  ]),
  agentBillOfMaterialsToJson: rows(agentBillOfMaterialsToJson, [
    ["null", [null], "invalid_argument"],
    ["missing fields", [{ agentVersion: "1" }], "invalid_argument"],
    [
      "oversized",
      [{ agentVersion: HUGE, agentHarnessId: "x", runningLocation: "y" }],
      "input_too_large",
    ],
  ]),
  rustOsName: rows(rustOsName, [
    ["number", [5], "invalid_argument"],
    ["oversized", [HUGE], "input_too_large"],
  ]),
};

describe.each(Object.entries(table))("%s rejects bad input", (_fn, cases) => {
  it.each(cases.map((row) => [row.name, row] as const))("%s", (_name, row) => {
    const cached = privateKeyCacheSize();
    let thrown: unknown;
    try {
      row.call();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AgentIdentityError);
    const error = thrown as AgentIdentityError;
    expect(error.name).toBe("AgentIdentityError");
    expect(error.code).toBe(row.code);
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.message.length).toBeLessThan(300);
    expect(error.message).not.toContain(PRIVATE_KEY_TEXT);
    expect(error.message).not.toContain("0707070707070707");
    // A failed call never adds a key to the cache.
    expect(privateKeyCacheSize()).toBe(cached);
  });
});

it("covers every public function of the entry point", async () => {
  const entry = await import("../src/index.js");
  const functions = Object.entries(entry)
    .filter(([name, value]) => typeof value === "function" && name !== "AgentIdentityError")
    .map(([name]) => name)
    .sort();
  expect(Object.keys(table).sort()).toEqual(functions);
});
