import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// sha256 values recorded from upstream-schema/rollout/SOURCES.txt (openai/codex, copied byte for byte).
const EXPECTED: Record<string, string> = {
  "RolloutLine.json": "66dad79955a240a975002131a86164bca45613fef2b46badb28f95890ee5b5df",
  "rollout_copy_paste_local_image.json":
    "cfca462c545e66343c405d9d6e30ece8a1671ee5ed4a762da0fc35a3ce3bf75f",
  "rollout_drag_drop_image.json":
    "aba8743eec2c1764f282dd65bb4da5fc2e6e0a04677384c035b87d0aacf4d880",
};

describe("vendored upstream fixtures", () => {
  it.each(Object.entries(EXPECTED))("%s is unchanged", (name, sha) => {
    const bytes = readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(sha);
  });

  it("RolloutLine.json is a draft-07 schema", () => {
    const schema = JSON.parse(
      readFileSync(new URL("./fixtures/RolloutLine.json", import.meta.url), "utf8"),
    );
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
  });
});
