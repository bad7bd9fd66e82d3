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
  // Real files written by codex-cli 0.169.0 (see fixtures/upstream-0.169/README.md).
  "upstream-0.169/http.jsonl": "04d844131950cdea2e73f1183489b1edef0905c163c0cc1f143afd64f75fdd03",
  "upstream-0.169/ws.jsonl": "d9f2bfeeff4404ec202a338e91982ac47610c947a1fd4904e4d723b597b17409",
  "upstream-0.169/http-resumed.jsonl":
    "f6dc1e5194a97a5fc811a5e3f726a6d693459b1cede347f12088d4d8aee56a64",
  "upstream-0.169/ours-legacy-before.jsonl":
    "e318166cbe83bcfdbe542972e0cb4a4cd4e39e5229004c95d4fbd40a0cf29275",
  "upstream-0.169/ours-legacy-after-upstream-resume.jsonl":
    "029ffb51fd185a73fcb0299eed085103325c23375ac9bec1e0e5a6f1335b3dce",
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
