// The CLI transcript of docs/design.md ("## CLI output"), read from the page itself so that the page
// and the binary cannot drift apart. Two tests run it: apps/cli's transcript test against the
// workspace's binary, and packed-cli.test.ts against the binary npm installs from the packed tarballs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from './workspace';

export interface TranscriptStep {
  /** The words after `marathon`. */
  command: string[];
  stdout: string;
}

/**
 * The steps of the first console block under "## CLI output" in docs/design.md: each `$ marathon …`
 * line and the lines up to the next one. A blank line right before a `$` line only separates steps.
 */
export function designTranscript(): TranscriptStep[] {
  const design = readFileSync(join(workspaceRoot, 'docs', 'design.md'), 'utf8');
  const section = design.split(/^## /m).find((part) => part.startsWith('CLI output\n'));
  if (section === undefined) throw new Error('docs/design.md has no "## CLI output" section');
  const block = /^```console\n([\s\S]*?)^```$/m.exec(section)?.[1];
  if (block === undefined) throw new Error('the "CLI output" section of docs/design.md has no console block');
  const steps: TranscriptStep[] = [];
  for (const chunk of block.split(/^\$ /m).slice(1)) {
    const [line, ...output] = chunk.split('\n');
    const words = line!.split(' ');
    if (words[0] !== 'marathon') throw new Error(`docs/design.md's transcript runs something other than marathon: ${line}`);
    steps.push({ command: words.slice(1), stdout: output.join('\n').replace(/\n\n$/, '\n') });
  }
  return steps;
}
