// The demo's browser: follows the authorize URL the CLI printed to the embedded issuer, which
// answers with a redirect to the CLI's loopback callback (no consent page), then loads that
// callback the way a browser tab would.

/** Plays the browser for one PKCE login; resolves with the callback's HTTP status. */
export async function playBrowser(authUrl) {
  const authorize = await fetch(authUrl, { redirect: "manual" });
  const callback = authorize.headers.get("location");
  if (authorize.status !== 302 || callback === null) {
    throw new Error(`the issuer answered ${authorize.status} without a redirect to the callback`);
  }
  const landing = await fetch(callback, { redirect: "follow" });
  await landing.arrayBuffer();
  return landing.status;
}

/** The first authorize URL in the CLI's output, once it has appeared. */
export function findAuthorizeUrl(text) {
  return text.match(/https?:\/\/\S+\/oauth\/authorize\?\S+/)?.[0];
}
