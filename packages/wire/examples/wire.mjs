// Run after `pnpm --filter @codex/wire build`: node packages/wire/examples/wire.mjs
import { createLogger, formatRfc3339Seconds, parseRfc3339, Secret } from "@codex/wire";

const token = new Secret("sk-live-123");
const log = createLogger({ level: "debug", sink: (record) => console.log(JSON.stringify(record)) });
log.info("calling the API", { token, authorization: `Bearer ${token.reveal()}` });
console.log(formatRfc3339Seconds(new Date(0)));
console.log(parseRfc3339("2026-04-20T10:15:02.5+02:00"));
