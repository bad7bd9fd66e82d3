import { expect, it } from "vitest";
import { readAgentIdentityKey } from "./agent-identity-key.js";

it("reads the runtime id and leaves the private key for the strict parser", () => {
  expect(readAgentIdentityKey({ agentRuntimeId: "a", privateKeyPkcs8Base64: 5 })).toEqual({
    agentRuntimeId: "a",
    privateKeyPkcs8Base64: 5,
  });
  expect(() => readAgentIdentityKey({ privateKeyPkcs8Base64: "x" })).toThrow(
    "key.agentRuntimeId must be a string",
  );
});
