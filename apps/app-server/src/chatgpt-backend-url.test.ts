import { expect, it } from "vitest";
import { chatgptBackendUrl } from "./chatgpt-backend-url.js";

it.each([
  ["https://chatgpt.com/backend-api/", "usage", "https://chatgpt.com/backend-api/wham/usage"],
  [
    "http://127.0.0.1:9/backend-api",
    "accounts/check",
    "http://127.0.0.1:9/backend-api/wham/accounts/check",
  ],
  ["https://example.com", "usage", "https://example.com/api/codex/usage"],
  [" https://example.com/// ", "usage", "https://example.com/api/codex/usage"],
])("chatgptBackendUrl(%j, %j)", (base, path, url) => {
  expect(chatgptBackendUrl(base, path)).toBe(url);
});
