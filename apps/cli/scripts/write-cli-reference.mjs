#!/usr/bin/env node
// Writes docs/cli-commands.md from the CLI's own command classes (what `oclif readme` does, in the
// format of these docs): every command with its summary, usage, arguments and flags. The CLI test
// suite checks the committed file is what this writes, so the reference cannot drift.
//   node apps/cli/scripts/write-cli-reference.mjs           write it
//   node apps/cli/scripts/write-cli-reference.mjs --print   print it
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(cliRoot, '..', '..', 'docs', 'cli-commands.md');

export async function cliReference() {
  // An empty MARATHON_HOME: only the CLI's own commands, none of an installed plugin's.
  const home = mkdtempSync(join(tmpdir(), 'marathon-cli-reference-'));
  const previous = process.env.MARATHON_HOME;
  process.env.MARATHON_HOME = home;
  try {
    const { Config } = await import('@oclif/core');
    const config = await Config.load({ root: cliRoot });
    const lines = [
      '# marathon commands',
      '',
      'Generated from the command classes by `node apps/cli/scripts/write-cli-reference.mjs`; do not edit.',
      'Behaviour, `--json` shapes and exit codes: [cli.md](cli.md). Plugins add their own commands (`marathon <plugin> <command>`).',
      '',
    ];
    const bin = (text) => String(text).replaceAll('<%= config.bin %>', 'marathon');
    const commands = config.commands.filter((command) => !command.hidden).sort((a, b) => a.id.localeCompare(b.id));
    for (const command of commands) {
      const name = command.id.split(':').join(' ');
      lines.push(`## marathon ${name}`, '', bin(command.summary ?? command.description ?? ''), '');
      if (command.description && command.summary) lines.push(bin(command.description), '');
      const args = Object.values(command.args ?? {});
      const usage = command.usage
        ? [command.usage].flat().map((text) => `marathon ${text}`)
        : [
            `marathon ${name}` +
              args.map((arg) => (arg.required ? ` <${arg.name}>` : ` [${arg.name}]`)).join('') +
              (Object.keys(command.flags ?? {}).length > 0 ? ' [flags]' : ''),
          ];
      lines.push('```text', ...usage, '```', '');
      if (args.length > 0) {
        lines.push('| argument | |', '|---|---|');
        for (const arg of args) lines.push(`| \`${arg.name}\`${arg.required ? ' (required)' : ''} | ${arg.description ?? ''} |`);
        lines.push('');
      }
      const examples = [command.examples ?? []].flat().map((example) => bin(typeof example === 'string' ? example : example.command));
      if (examples.length > 0) lines.push('Examples:', '', '```text', ...examples.map((example) => `$ ${example}`), '```', '');
      const flags = Object.values(command.flags ?? {}).filter((flag) => !flag.hidden);
      if (flags.length > 0) {
        lines.push('| flag | |', '|---|---|');
        for (const flag of flags) {
          const value = flag.type === 'option' ? ` <${flag.options ? flag.options.join('\\|') : 'value'}>` : '';
          const shown = `${flag.char ? `-${flag.char}, ` : ''}--${flag.name}${value}`;
          const extra = flag.default !== undefined && flag.type === 'option' ? ` Default: \`${flag.default}\`.` : '';
          lines.push(`| \`${shown}\` | ${bin(flag.summary ?? flag.description ?? '').replace(/\n/g, ' ')}${extra} |`);
        }
        lines.push('');
      }
    }
    return `${lines.join('\n').trimEnd()}\n`;
  } finally {
    if (previous === undefined) delete process.env.MARATHON_HOME;
    else process.env.MARATHON_HOME = previous;
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await cliReference();
  if (process.argv.includes('--print')) process.stdout.write(text);
  else writeFileSync(target, text);
}
