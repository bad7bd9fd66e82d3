import { describe, expect, it } from "vitest";
import { ThreadEngineError } from "./thread-engine-error.js";
import { prepareUserInput } from "./user-input.js";

describe("prepareUserInput", () => {
  it("echoes every input and sends text and image URLs", () => {
    const prepared = prepareUserInput([
      { type: "text", text: "look" },
      { type: "image", url: "https://example.com/a.png", detail: "high" },
      { type: "localImage", path: "/tmp/b.png" },
      { type: "mention", name: "m", path: "/p" },
      { type: "text", text: "here", text_elements: [{ byteRange: { start: 0, end: 1 } }] },
    ]);
    expect(prepared.items).toEqual([
      { type: "text", text: "look", text_elements: [] },
      { type: "image", url: "https://example.com/a.png", detail: "high" },
      { type: "localImage", path: "/tmp/b.png", detail: null },
      { type: "mention", name: "m", path: "/p" },
      { type: "text", text: "here", text_elements: [{ byteRange: { start: 0, end: 1 } }] },
    ]);
    expect(prepared.message).toEqual({
      type: "message",
      role: "user",
      content: [
        { type: "input_text", text: "look" },
        { type: "input_image", image_url: "https://example.com/a.png" },
        { type: "input_text", text: "here" },
      ],
    });
    expect(prepared.text).toBe("look\nhere");
  });

  it.each([
    ["not an array", "hi"],
    ["empty", []],
    ["null item", [null]],
    ["unknown type", [{ type: "audio" }]],
    ["text not a string", [{ type: "text", text: 1 }]],
    ["nothing to send", [{ type: "localImage", path: "/x" }]],
    ["skill without path", [{ type: "skill", name: "s" }]],
  ])("refuses %s", (_name, input) => {
    expect(() => prepareUserInput(input)).toThrow(ThreadEngineError);
    try {
      prepareUserInput(input);
    } catch (error) {
      expect(ThreadEngineError.is(error) && error.code).toBe("invalid_argument");
    }
  });
});
