import type { RequestHandler } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";

/**
 * An msw server for this test file: every request not matched by a handler FAILS (the request
 * errors, like `onUnhandledRequest: "error"`, and is recorded in `unhandled`), so nothing can slip
 * through to the network. Unlike msw's built-in "error" strategy, the printed notice leaves out the
 * request body (which holds refresh tokens), so the suite's secret scan stays meaningful.
 * Every login test that mocks HTTP uses this helper; `handlers` are the initial handlers that
 * `resetHandlers()` restores after each test.
 */
export function useMswServer(...handlers: RequestHandler[]): {
  server: ReturnType<typeof setupServer>;
  unhandled: string[];
} {
  const server = setupServer(...handlers);
  const unhandled: string[] = [];
  beforeAll(() =>
    server.listen({
      onUnhandledRequest(request) {
        const line = `${request.method} ${request.url}`;
        unhandled.push(line);
        process.stderr.write(`[msw] unhandled request failed: ${line}\n`);
        throw new Error(`[msw] unhandled request: ${line}`);
      },
    }),
  );
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return { server, unhandled };
}
