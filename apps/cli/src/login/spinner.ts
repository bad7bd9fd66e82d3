import type { TextSink } from "../cli-context.js";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** A one-line spinner on a terminal; on anything else (pipe, file) it prints nothing. */
export function startSpinner(
  sink: TextSink & { readonly isTTY?: boolean },
  text: string,
): () => void {
  if (sink.isTTY !== true) return () => {};
  let frame = 0;
  const draw = (): void => {
    sink.write(`\r${FRAMES[frame % FRAMES.length]} ${text}`);
    frame++;
  };
  draw();
  const timer = setInterval(draw, 100);
  timer.unref();
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    sink.write("\r\x1b[2K");
  };
}
