import type { JsonObject } from "@codex/wire";
import { ThreadEngineError } from "./thread-engine-error.js";
import type { UserInputItem } from "./thread-items.js";

/** A turn's input, checked: the echo for the `userMessage` item, the model's message, the text. */
export interface PreparedInput {
  readonly items: UserInputItem[];
  /** The Responses `message` (role user) sent to the model. */
  readonly message: JsonObject;
  /** The text parts joined with newlines (rollout `user_message`, thread preview). */
  readonly text: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function str(value: unknown, what: string): string {
  if (typeof value !== "string") {
    throw new ThreadEngineError("invalid_argument", `${what} must be a string`);
  }
  return value;
}

function detailOf(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/**
 * Checks `turn/start` input (protocol `UserInput[]`) and prepares it. Text becomes
 * `input_text`, an image URL `input_image`; local images, skills and mentions are echoed in the
 * item but not sent (this engine has no file or skill access).
 *
 * @throws {ThreadEngineError} `invalid_argument` for a non-array, an empty list, or an item of
 *   unknown type or shape.
 */
export function prepareUserInput(input: unknown): PreparedInput {
  if (!Array.isArray(input) || input.length === 0) {
    throw new ThreadEngineError(
      "invalid_argument",
      "input must be a non-empty array of user inputs",
    );
  }
  const items: UserInputItem[] = [];
  const content: JsonObject[] = [];
  const texts: string[] = [];
  for (const raw of input) {
    if (!isObject(raw))
      throw new ThreadEngineError("invalid_argument", "every input must be an object");
    switch (raw.type) {
      case "text": {
        const text = str(raw.text, "text input");
        const elements = Array.isArray(raw.text_elements)
          ? raw.text_elements.filter(isObject).map((e) => e as JsonObject)
          : [];
        items.push({ type: "text", text, text_elements: elements });
        content.push({ type: "input_text", text });
        texts.push(text);
        break;
      }
      case "image": {
        const url = str(raw.url, "image url");
        items.push({ type: "image", url, detail: detailOf(raw.detail) });
        content.push({ type: "input_image", image_url: url });
        break;
      }
      case "localImage":
        items.push({
          type: "localImage",
          path: str(raw.path, "image path"),
          detail: detailOf(raw.detail),
        });
        break;
      case "skill":
      case "mention":
        items.push({
          type: raw.type,
          name: str(raw.name, `${raw.type} name`),
          path: str(raw.path, `${raw.type} path`),
        });
        break;
      default:
        throw new ThreadEngineError("invalid_argument", "unknown user input type");
    }
  }
  if (content.length === 0) {
    throw new ThreadEngineError("invalid_argument", "input has no text or image to send");
  }
  return { items, message: { type: "message", role: "user", content }, text: texts.join("\n") };
}
