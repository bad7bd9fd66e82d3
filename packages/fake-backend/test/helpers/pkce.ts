import { createHash, randomBytes } from "node:crypto";

/** A PKCE pair the way the Codex login makes it (64 random bytes, S256). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(64).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** Runs `/oauth/authorize` and returns the redirect it answers. */
export async function authorize(
  issuerUrl: string,
  params: Record<string, string>,
): Promise<{ status: number; location: URL | undefined; body: string }> {
  const url = new URL(`${issuerUrl}/oauth/authorize`);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  const res = await fetch(url, { redirect: "manual" });
  const location = res.headers.get("location");
  return {
    status: res.status,
    location: location === null ? undefined : new URL(location),
    body: await res.text(),
  };
}
