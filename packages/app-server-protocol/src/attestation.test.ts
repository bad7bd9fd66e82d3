import { describe, expect, it } from "vitest";
import {
  AttestationGenerateParams,
  AttestationGenerateResponse,
  attestationValue,
} from "./attestation.js";

describe("attestation/generate", () => {
  it("accepts the current {token} result and the earlier {headerValue} result", () => {
    expect(attestationValue(AttestationGenerateResponse.parse({ token: "v1.b3BhcXVl" }))).toBe(
      "v1.b3BhcXVl",
    );
    expect(attestationValue(AttestationGenerateResponse.parse({ headerValue: "v1.abc" }))).toBe(
      "v1.abc",
    );
  });

  it.each([[{}], [{ token: 1 }], [{ value: "v1" }], [null], ["v1.abc"]])("rejects %j", (value) => {
    expect(AttestationGenerateResponse.safeParse(value).success).toBe(false);
  });

  it("takes {} as params", () => {
    expect(AttestationGenerateParams.parse({})).toEqual({});
    expect(AttestationGenerateParams.safeParse(undefined).success).toBe(false);
  });
});
