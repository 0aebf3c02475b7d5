// What package READMEs state about the code, checked against the code itself: lists that used to
// drift (the CLI's commands, the manager's error codes and timeouts, the bus's and the manager's events).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CALL_LIMITS } from '@marathon/security/sandbox';
import { codeBlocks } from './doc-blocks';
import { marathonBin, workspaceRoot } from './workspace';

const read = (file: string) => readFileSync(join(workspaceRoot, file), 'utf8');

/** The command ids a README's "## Commands" block lists: `marathon plugin list|install` → plugin:list, plugin:install. */
function listedCommandIds(block: string): string[] {
  return block.split('\n').flatMap((line) => {
    const words: string[] = [];
    for (const word of line.trim().split(/\s+/).slice(1)) {
      if (/^[[<#-]/.test(word)) break;
      words.push(word);
    }
    if (words.length === 1) return words[0]!.split('|');
    if (words.length === 2) return words[1]!.split('|').map((command) => `${words[0]}:${command}`);
    return [];
  });
}

test('listedCommandIds reads topics, alternatives and plain commands', () => {
  expect(
    listedCommandIds(
      'marathon plugin list|install\nmarathon task run [--name N] -- <command>\nmarathon commands|help\nmarathon <plugin> <command>\n',
    ),
  ).toEqual(['plugin:list', 'plugin:install', 'task:run', 'commands', 'help']);
});

test("apps/cli/README.md lists exactly the binary's commands", () => {
  const readme = read('apps/cli/README.md');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Commands\n'));
  const block = codeBlocks(`## ${section ?? ''}`)[0];
  expect(block?.lang).toBe('text');
  // An empty MARATHON_HOME: the CLI's own commands, none of an installed plugin's.
  const home = mkdtempSync(join(tmpdir(), 'marathon-readme-facts-'));
  try {
    const commands = spawnSync(process.execPath, [marathonBin, 'commands', '--json'], {
      encoding: 'utf8',
      env: { ...process.env, MARATHON_HOME: home, HOME: home },
    });
    expect(commands.status).toBe(0);
    const real = (JSON.parse(commands.stdout) as Array<{ id: string; hidden?: boolean }>)
      .filter((command) => command.hidden !== true)
      .map((command) => command.id);
    expect(listedCommandIds(block!.body).sort()).toEqual(real.sort());
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("packages/manager/README.md lists exactly ManagerError's codes", () => {
  const source = read('packages/manager/src/errors.ts');
  const union = /export type ManagerErrorCode =([\s\S]*?);/.exec(source)?.[1] ?? '';
  const codes = [...union.matchAll(/\|\s*'([A-Z_]+)'/g)].map((match) => match[1]!).sort();
  expect(codes.length).toBeGreaterThan(10);
  const readme = read('packages/manager/README.md');
  const errors = readme.slice(readme.indexOf('Errors (`ManagerError.code`'));
  const listed = [...new Set(errors.match(/\b[A-Z][A-Z_]{3,}[A-Z]\b/g) ?? [])].filter((word) => !['MARATHON_HOME'].includes(word)).sort();
  expect(listed).toEqual(codes);
});

test('packages/manager/README.md states the init timeout and the call deadline the code uses', () => {
  const source = read('packages/manager/src/plugin-manager.ts');
  const initTimeoutMs = Number(/initTimeoutMs: options\.initTimeoutMs \?\? ([\d_]+)/.exec(source)?.[1]?.replaceAll('_', ''));
  expect(initTimeoutMs).toBeGreaterThan(0);
  const readme = read('packages/manager/README.md');
  expect(readme).toContain(`\`initTimeoutMs\` (${initTimeoutMs / 1000} s by default)`);
  expect(readme).toContain(`\`call_deadline_ms\`, ${DEFAULT_CALL_LIMITS.call_deadline_ms / 1000} s by default`);
});

test("packages/events/README.md names every event of the bus, no plugin event of its own, and the manager's lifecycle events", () => {
  const readme = read('packages/events/README.md');
  // The plugin lifecycle has one owner, the manager; the bus declares none (issue 16).
  expect(readme.match(/`plugin:[a-z]+`/g) ?? []).toEqual([]);
  const busEvents = [...read('packages/events/src/lifecycle.ts').matchAll(/^\s+'([a-z]+:[a-z]+)':/gm)].map((match) => match[1]!);
  expect(busEvents.length).toBeGreaterThan(0);
  for (const event of busEvents) expect([event, readme.includes(`\`${event}\``)]).toEqual([event, true]);
  const managerEvents = /interface ManagerEventMap \{([\s\S]*?)\n\}/.exec(read('packages/manager/src/manager-events.ts'))?.[1] ?? '';
  const names = [...managerEvents.matchAll(/^\s+([a-z]+):/gm)].map((match) => match[1]!);
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) expect([name, readme.includes(`\`${name}\``)]).toEqual([name, true]);
});
