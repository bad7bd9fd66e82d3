// One `codex app-server` child driven the way an IDE extension drives upstream's: newline JSON
// on stdio through @codex/app-server-protocol's client peer. The client advertises
// `requestAttestation` and answers `attestation/generate` with numbered tokens; it owns the
// ChatGPT tokens (external mode) and answers `account/chatgptAuthTokens/refresh` with fresh
// ones from the embedded issuer.
import { createClientPeer } from "@codex/app-server-protocol";
import { spawnCodex } from "./codex-process.mjs";

export class AppServerSession {
  /** Attestation tokens handed out, in order. */
  attestations = [];
  /** Params of every `account/chatgptAuthTokens/refresh` the server sent. */
  refreshRequests = [];
  /** Notifications received, in order. */
  notifications = [];
  stderr = "";
  #child;
  #peer;
  #waiters = new Set();

  constructor(home, { refreshTokens }) {
    this.#child = spawnCodex(home, ["app-server"]);
    this.#child.stderr.setEncoding("utf8").on("data", (chunk) => {
      this.stderr += chunk;
    });
    this.#peer = createClientPeer({
      input: this.#child.stdout,
      output: this.#child.stdin,
      requestTimeoutMs: 30_000,
      handlers: {
        "attestation/generate": () => {
          const token = `v1.demo-attestation-${this.attestations.length + 1}`;
          this.attestations.push(token);
          return { token };
        },
        "account/chatgptAuthTokens/refresh": (params) => {
          this.refreshRequests.push(params);
          return refreshTokens();
        },
      },
      onNotification: (notification) => {
        this.notifications.push(notification);
        for (const waiter of this.#waiters) waiter();
      },
    });
  }

  request(method, params) {
    return this.#peer.request(method, params);
  }

  notify(method, params) {
    this.#peer.notify(method, params);
  }

  /** Resolves with the first notification (from index `from` on) that `match` accepts. */
  waitFor(match, { from = 0, timeoutMs = 30_000 } = {}) {
    return new Promise((resolve, reject) => {
      const look = () => {
        const found = this.notifications.slice(from).find(match);
        if (found === undefined) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(`the app-server sent no matching notification within ${timeoutMs / 1000} s`),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#waiters.delete(look);
      };
      if (!look()) this.#waiters.add(look);
    });
  }

  /** Ends stdin (the server's signal to drain) and waits for the process to exit. */
  async close() {
    const exited = new Promise((resolve) => this.#child.once("close", resolve));
    this.#child.stdin.end();
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
