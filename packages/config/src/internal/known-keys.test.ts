import { describe, expect, it } from "vitest";
import { configSchema, providerSchema } from "./config-schema.js";
import {
  IGNORED_PROVIDER_KEYS,
  IGNORED_UPSTREAM_KEYS,
  MODELLED_KEYS,
  PROVIDER_KEYS,
} from "./known-keys.js";

describe("known keys", () => {
  it("the modelled lists are exactly the schemas' keys", () => {
    expect([...MODELLED_KEYS].sort()).toEqual(Object.keys(configSchema.shape).sort());
    expect([...PROVIDER_KEYS].sort()).toEqual(Object.keys(providerSchema.shape).sort());
  });

  it("no key is both modelled and ignored", () => {
    expect([...IGNORED_UPSTREAM_KEYS].filter((k) => MODELLED_KEYS.has(k))).toEqual([]);
    expect([...IGNORED_PROVIDER_KEYS].filter((k) => PROVIDER_KEYS.has(k))).toEqual([]);
  });
});
