// Runs against the built package: `pnpm --filter @codex/fake-backend build && node examples/login-and-respond.mjs`
import { createHash, randomBytes } from "node:crypto";
import { decodeJwtClaims, scripts, startFakeBackend } from "../dist/index.js";

const backend = await startFakeBackend({ account: { email: "ana@example.com", planType: "pro" } });
try {
  // 1. Browser login without a browser: authorize redirects straight back with a code.
  const verifier = randomBytes(64).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const redirectUri = "http://localhost:1455/auth/callback";
  const authorize = new URL(`${backend.issuerUrl}/oauth/authorize`);
  for (const [key, value] of Object.entries({
    response_type: "code",
    client_id: backend.clientId,
    redirect_uri: redirectUri,
    scope: "openid profile email offline_access",
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "example-state",
  })) {
    authorize.searchParams.set(key, value);
  }
  const redirect = await fetch(authorize, { redirect: "manual" });
  const code = new URL(redirect.headers.get("location")).searchParams.get("code");

  // 2. Exchange the code (PKCE S256 is checked).
  const tokenResponse = await fetch(`${backend.issuerUrl}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      client_id: backend.clientId,
      code_verifier: verifier,
    }),
  });
  const tokens = await tokenResponse.json();
  const auth = decodeJwtClaims(tokens.id_token)["https://api.openai.com/auth"];
  console.log(`signed in: plan ${auth.chatgpt_plan_type}, account ${auth.chatgpt_account_id}`);

  // 3. A streamed Responses call: one scripted 429, then the echo model.
  backend.enqueue(scripts.rateLimited({ retryAfterSeconds: 1 }));
  const call = () =>
    fetch(`${backend.chatgptBaseUrl}/codex/responses`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tokens.access_token}`,
        "chatgpt-account-id": auth.chatgpt_account_id,
        "content-type": "application/json",
        "x-codex-window-id": "thread-1:0",
      },
      body: JSON.stringify({
        model: "gpt-example",
        input: [{ role: "user", content: "hello from the example" }],
      }),
    });
  const limited = await call();
  console.log(`first call: ${limited.status}, retry-after ${limited.headers.get("retry-after")}`);
  await limited.body?.cancel();
  const sse = await (await call()).text();
  const text = sse
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice(6)))
    .filter((event) => event.type === "response.output_text.delta")
    .map((event) => event.delta)
    .join("");
  console.log(`second call streamed: ${JSON.stringify(text)}`);

  const record = backend.state.lastRequest("codex.responses");
  console.log(
    `recorded: auth=${record.authScheme}, window=${record.codexHeaders["x-codex-window-id"]}`,
  );
} finally {
  await backend.close();
}
