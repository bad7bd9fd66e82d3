/**
 * The URL of a ChatGPT backend endpoint under `chatgpt_base_url`, as upstream's backend client
 * builds it: `<base>/wham/<path>` when the base is a `/backend-api` URL, else
 * `<base>/api/codex/<path>`.
 *
 * @example
 * chatgptBackendUrl("https://chatgpt.com/backend-api/", "usage"); // "https://chatgpt.com/backend-api/wham/usage"
 */
export function chatgptBackendUrl(base: string, path: string): string {
  const trimmed = base.trim().replace(/\/+$/, "");
  return trimmed.includes("/backend-api")
    ? `${trimmed}/wham/${path}`
    : `${trimmed}/api/codex/${path}`;
}
