import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import * as entry from "../src/index.js";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  type: string;
  sideEffects: boolean;
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
};

it("is ESM with a types-first exports map that also exports package.json", () => {
  expect(pkg.type).toBe("module");
  expect(pkg.sideEffects).toBe(false);
  expect(Object.keys(pkg.exports)).toEqual([".", "./package.json"]);
  expect(Object.keys(pkg.exports["."] as object)).toEqual(["types", "default"]);
  // A leaf: no workspace packages.
  expect(Object.keys(pkg.dependencies).filter((name) => name.startsWith("@codex/"))).toEqual([]);
});

it("exports exactly the documented runtime surface", () => {
  expect(Object.keys(entry).sort()).toEqual(
    [
      "AGENT_ASSERTION_SCHEME",
      "AGENT_IDENTITY_PACKAGE_VERSION",
      "AgentIdentityError",
      "DEFAULT_MAX_SKEW_SECONDS",
      "MAX_AGENT_ASSERTION_HEADER_LENGTH",
      "MAX_ENCRYPTED_TASK_ID_LENGTH",
      "agentBillOfMaterialsToJson",
      "agentIdentityBiscuitUrl",
      "agentIdentityRequestId",
      "agentRegistrationUrl",
      "agentTaskRegistrationUrl",
      "authorizationHeaderForAgentTask",
      "buildAbom",
      "curve25519SecretKeyFromPrivateKeyPkcs8Base64",
      "decodeSshEd25519PublicKey",
      "decryptTaskIdResponse",
      "encodeSshEd25519PublicKey",
      "generateAgentKeyMaterial",
      "normalizeChatgptBaseUrl",
      "publicKeySshFromPrivateKeyPkcs8Base64",
      "rustOsName",
      "sealTaskIdForPublicKey",
      "sessionSourceDisplay",
      "signTaskRegistrationPayload",
      "supportsBackgroundAgentTaskAuth",
      "verifyAgentAssertion",
      "verifyTaskRegistrationSignature",
      "verifyingKeyFromPrivateKeyPkcs8Base64",
    ].sort(),
  );
});
