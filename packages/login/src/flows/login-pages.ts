/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** Fields shown on the success page (never tokens). */
export interface SuccessPageInfo {
  readonly needsSetup: boolean;
  readonly platformUrl: string;
  readonly planType?: string | undefined;
}

/** The HTML page the browser lands on after a successful sign-in. */
export function successPageHtml(info: SuccessPageInfo): string {
  const setup = info.needsSetup
    ? `<p>Finish setting up your API organization at <a href="${escapeHtml(info.platformUrl)}">${escapeHtml(info.platformUrl)}</a>.</p>`
    : "";
  const plan = info.planType ? `<p>Plan: ${escapeHtml(info.planType)}</p>` : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Signed in to Codex</title></head>
<body><main id="codex-login-success"><h1>Signed in to Codex</h1>
<p>You may now close this page and return to your terminal.</p>${plan}${setup}</main></body></html>`;
}

/** The HTML page shown when sign-in fails; `code` and `message` are escaped. */
export function errorPageHtml(code: string, message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Codex sign-in failed</title></head>
<body><main id="codex-login-error"><h1>Sign-in failed</h1>
<p data-error-code="${escapeHtml(code)}">${escapeHtml(message)}</p></main></body></html>`;
}
