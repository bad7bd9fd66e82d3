import { CliError } from "../cli-error.js";

/** Where exec reads its prompt from when it has to. */
export interface PromptStdin {
  /** True when stdin is a terminal: it is then never read. */
  readonly isTTY: boolean;
  /** Reads stdin to its end (UTF-8). */
  readAll(): Promise<string>;
}

/** Options of {@link resolvePrompt}. */
export interface ResolvePromptOptions {
  /** The PROMPT argument (`-` means: read stdin). */
  readonly prompt: string | undefined;
  readonly stdin: PromptStdin;
  /** `resume` takes a given prompt as is; a new session also appends piped stdin to it. */
  readonly mode: "new" | "resume";
  /** Prints a progress line on stderr (`Reading prompt from stdin...`). */
  readonly notify: (line: string) => void;
}

const NO_PROMPT_VIA_STDIN = "No prompt provided via stdin.";
const NO_PROMPT =
  "No prompt provided. Either specify one as an argument or pipe the prompt into stdin.";

/**
 * The prompt of a run, as 0.169 resolves it: the argument; or, when it is absent or `-`, all of
 * stdin (verbatim; empty or blank is an error). A new session given an argument with stdin piped
 * also reads stdin and, when it holds anything, appends it as a `<stdin>` block.
 *
 * @throws {CliError} (exit 1) with the line to print.
 */
export async function resolvePrompt(options: ResolvePromptOptions): Promise<string> {
  const { prompt, stdin, notify } = options;
  if (prompt === "-") return readRequired(stdin);
  if (prompt === undefined) {
    if (stdin.isTTY) throw new CliError("failed", NO_PROMPT);
    notify("Reading prompt from stdin...");
    return readRequired(stdin);
  }
  if (options.mode === "resume" || stdin.isTTY) return prompt;
  notify("Reading additional input from stdin...");
  const extra = await stdin.readAll();
  if (extra.trim() === "") return prompt;
  return `${prompt}\n\n<stdin>\n${extra}${extra.endsWith("\n") ? "" : "\n"}</stdin>`;
}

async function readRequired(stdin: PromptStdin): Promise<string> {
  const text = await stdin.readAll();
  if (text.trim() === "") throw new CliError("failed", NO_PROMPT_VIA_STDIN);
  return text;
}
