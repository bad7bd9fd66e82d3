/**
 * Where keys sit in a TOML source, for error messages: for each line that is a table header
 * (`[a.b]`, `[[a]]`) or a `key = value` line, the full dotted path it defines. A line-based scan
 * (multi-line strings and arrays are skipped roughly), good enough to point at a line; smol-toml
 * itself gives no positions for values.
 */
export interface KeyLine {
  readonly line: number;
  readonly path: readonly string[];
}

const HEADER = /^\s*\[\[?\s*([^[\]]+?)\s*\]\]?\s*(?:#.*)?$/;
const ASSIGN =
  /^\s*((?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'))*)\s*=/;

/** Splits a TOML dotted key (`a."b.c".d`) into its parts. */
export function splitDottedKey(text: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:([A-Za-z0-9_-]+)|"((?:[^"\\]|\\.)*)"|'([^']*)')\s*(?:\.|$)/gy;
  let match: RegExpExecArray | null = re.exec(text);
  while (match !== null && match[0] !== "") {
    parts.push(match[1] ?? unescapeBasic(match[2]) ?? match[3] ?? "");
    match = re.exec(text);
  }
  return parts;
}

function unescapeBasic(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return text;
  }
}

/** Scans `source` for header and assignment lines (1-based line numbers). */
export function scanKeyLines(source: string): KeyLine[] {
  const out: KeyLine[] = [];
  let table: string[] = [];
  let inMultiline: '"""' | "'''" | undefined;
  for (const [index, text] of source.split(/\r?\n/).entries()) {
    if (inMultiline !== undefined) {
      if (text.includes(inMultiline)) inMultiline = undefined;
      continue;
    }
    const header = HEADER.exec(text);
    if (header?.[1] !== undefined) {
      table = splitDottedKey(header[1]);
      out.push({ line: index + 1, path: table });
      continue;
    }
    const assign = ASSIGN.exec(text);
    if (assign?.[1] !== undefined) {
      out.push({ line: index + 1, path: [...table, ...splitDottedKey(assign[1])] });
      const rest = text.slice(assign[0].length);
      for (const quote of ['"""', "'''"] as const) {
        const first = rest.indexOf(quote);
        if (first >= 0 && rest.indexOf(quote, first + 3) < 0) inMultiline = quote;
      }
    }
  }
  return out;
}

/**
 * The line defining `path`, else the line of its longest defined prefix (a value inside an inline
 * table points at the table's line); undefined when nothing matches.
 */
export function findKeyLine(
  lines: readonly KeyLine[],
  path: readonly string[],
): number | undefined {
  return findKeyEntry(lines, path)?.line;
}

/** Like {@link findKeyLine}, returning the matching entry (its path says how deep it matched). */
export function findKeyEntry(
  lines: readonly KeyLine[],
  path: readonly string[],
): KeyLine | undefined {
  let best: KeyLine | undefined;
  for (const entry of lines) {
    if (entry.path.length === 0 || entry.path.length > path.length) continue;
    if (!entry.path.every((part, i) => part === path[i])) continue;
    if (best === undefined || entry.path.length > best.path.length) best = entry;
  }
  return best;
}

/** The path defined on `line`, if that line is a header or an assignment. */
export function keyAtLine(lines: readonly KeyLine[], line: number): readonly string[] | undefined {
  return lines.find((entry) => entry.line === line)?.path;
}
