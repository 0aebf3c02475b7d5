// Reads the fenced code blocks of a Markdown file, and splits shell command lines into words.

export interface CodeBlock {
  /** The language of the fence: ts, js, json, console, text, … ('' when none is given). */
  lang: string;
  /** `file=<path>` in the fence's info string: the block is that file's content. */
  file?: string;
  /** The other words of the fence's info string (e.g. `no-run` in ```ts no-run), when there are any. */
  flags?: string[];
  body: string;
  /** 1-based line of the opening fence. */
  line: number;
}

export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)(.*)$/.exec(lines[i]!);
    if (open === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]!);
    const words = (open[2] ?? '').split(/\s+/).filter((word) => word !== '');
    const file = words.find((word) => word.startsWith('file='))?.slice('file='.length);
    const flags = words.filter((word) => !word.startsWith('file='));
    blocks.push({
      lang: open[1] ?? '',
      ...(file === undefined ? {} : { file }),
      ...(flags.length === 0 ? {} : { flags }),
      body: `${body.join('\n')}\n`,
      line: start + 1,
    });
  }
  return blocks;
}

/** Splits a command line as a POSIX shell would for plain words and '…' / "…" quoting. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let current: string | undefined;
  let quote: string | undefined;
  for (const char of line) {
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      current ??= '';
    } else if (/\s/.test(char)) {
      if (current !== undefined) words.push(current);
      current = undefined;
    } else current = (current ?? '') + char;
  }
  if (quote !== undefined) throw new Error(`unclosed ${quote} in: ${line}`);
  if (current !== undefined) words.push(current);
  return words;
}

/** Whether an expected output line (`…` stands for anything) matches an actual one, spaces collapsed. */
export function outputMatches(expected: string, actual: string): boolean {
  const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
  const pattern = squash(expected)
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(squash(actual));
}
