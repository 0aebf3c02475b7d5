// Issue 13, part 10: `exec.allowed_commands: ["git"]` let a plugin run git with any arguments, and
// git runs any program through its config (`git -c alias.x=!cmd x`). A plugin can now pin a command
// to the argument prefixes it needs; these tests pin how plugin.json says so and how it is checked.
import { isDeepStrictEqual } from 'node:util';
import Ajv2020 from 'ajv/dist/2020';
import {
  describeExecCommand,
  execArgumentPrefixes,
  execCommandName,
  manifestJsonSchema,
  parseManifest,
  parseManifestJson,
  safeParseManifest,
} from '@marathon/manifest';
import { issuesOf } from '../refused-issues';

const base = { name: 'git-tool', version: '1.0.0', api_version: '1.0.0', permissions: ['exec'] };
const withCommands = (allowed_commands: unknown) => ({ ...base, exec: { allowed_commands } });
const pinnedGit = { command: 'git', args: [['status'], ['log', '--oneline'], ['rev-parse', 'HEAD']] };

describe('pinned commands in plugin.json', () => {
  it('accepts plain names and pinned commands side by side, and keeps each as written', () => {
    const manifest = parseManifest(withCommands(['jq', pinnedGit]));
    expect(manifest.exec?.allowed_commands).toEqual(['jq', pinnedGit]);
    expect(manifest.exec?.allowed_commands.map(execCommandName)).toEqual(['jq', 'git']);
    expect(manifest.exec?.allowed_commands.map(execArgumentPrefixes)).toEqual([undefined, pinnedGit.args]);
    expect(Object.isFrozen((manifest.exec?.allowed_commands[1] as typeof pinnedGit).args[0])).toBe(true);
  });

  it('survives a round trip through JSON, as the installed state stores it', () => {
    const manifest = parseManifest(withCommands(['jq', pinnedGit]));
    expect(isDeepStrictEqual(parseManifestJson(JSON.stringify(manifest)), manifest)).toBe(true);
  });

  it('still reads a manifest of plain names (every manifest written before pins) the same way', () => {
    expect(parseManifest(withCommands(['git', '/usr/bin/env'])).exec).toEqual({ allowed_commands: ['git', '/usr/bin/env'] });
  });

  it('describes an entry in one line for the operator', () => {
    expect(describeExecCommand('git')).toBe('git');
    expect(describeExecCommand(pinnedGit)).toBe('git (only: status | log --oneline | rev-parse HEAD)');
    expect(describeExecCommand({ command: 'git', args: [['log', '--format=%h %s']] })).toBe('git (only: log "--format=%h %s")');
  });
});

describe('a malformed pin is refused with its path and what to write instead', () => {
  // Expected issues may hold jest matchers, hence `unknown[]`.
  it.each<[string, unknown, unknown[]]>([
    [
      'no args',
      [{ command: 'git' }],
      [
        {
          path: 'exec.allowed_commands[0].args',
          message:
            'required: list the argument prefixes the command may start with, e.g. [["status"], ["log", "--oneline"]]; a plain string allows any arguments',
        },
      ],
    ],
    [
      'an empty list of prefixes',
      [{ command: 'git', args: [] }],
      [
        {
          path: 'exec.allowed_commands[0].args',
          message: 'list at least one argument prefix, or write the command as a plain string to allow any arguments',
        },
      ],
    ],
    [
      'an empty prefix, which would allow anything',
      [{ command: 'git', args: [['status'], []] }],
      [
        {
          path: 'exec.allowed_commands[0].args[1]',
          message: 'an empty prefix would allow any arguments: list at least one, or write the command as a plain string',
        },
      ],
    ],
    [
      'a flat list instead of a list of prefixes',
      [{ command: 'git', args: ['status'] }],
      [
        {
          path: 'exec.allowed_commands[0].args[0]',
          message: 'each prefix is a list of arguments: write ["status"], not "status"',
        },
      ],
    ],
    [
      'a number as an argument',
      [{ command: 'git', args: [['log', 5]] }],
      [
        {
          path: 'exec.allowed_commands[0].args[0][1]',
          message: 'expected a string, got an integer',
        },
      ],
    ],
    [
      'a control character in an argument',
      [{ command: 'git', args: [['log', '\u001b[2J']] }],
      [
        {
          path: 'exec.allowed_commands[0].args[0][1]',
          message: "'?[2J' contains a control character; arguments must be plain text",
        },
      ],
    ],
    [
      'shell syntax as the command',
      [{ command: 'git; id', args: [['status']] }],
      [
        {
          path: 'exec.allowed_commands[0].command',
          message:
            "'git; id' must be a program name such as 'git' or an absolute path such as '/usr/bin/git', without arguments or shell syntax",
        },
      ],
    ],
    [
      'a misspelt key',
      [{ command: 'git', arg: [['status']] }],
      [
        { path: 'exec.allowed_commands[0].args', message: expect.stringMatching(/^required: list the argument prefixes/) },
        { path: 'exec.allowed_commands[0].arg', message: "unknown key 'arg' (did you mean 'args'?); allowed here: command, args" },
      ],
    ],
    [
      'a command listed plain and pinned',
      ['git', pinnedGit],
      [
        {
          path: 'exec.allowed_commands[1]',
          message: "'git' is listed twice (first at exec.allowed_commands[0]); list it once",
        },
      ],
    ],
    [
      'a prefix listed twice',
      [{ command: 'git', args: [['status'], ['log'], ['status']] }],
      [
        {
          path: 'exec.allowed_commands[0].args[2]',
          message: '\'["status"]\' is listed twice (first at exec.allowed_commands[0].args[0]); list it once',
        },
      ],
    ],
    [
      'neither a name nor an object',
      [['git', 'status']],
      [
        {
          path: 'exec.allowed_commands[0]',
          message: 'expected a command name or { "command": …, "args": [[…]] }, got an array',
        },
      ],
    ],
  ])('%s', (_label, commands, expected) => {
    expect(issuesOf(withCommands(commands))).toEqual(expected);
  });

  it('lists problems of several entries at once', () => {
    const issues = issuesOf(
      withCommands([
        { command: 'git', args: [] },
        { command: '../x', args: [['a']] },
      ]),
    );
    expect(issues.map((issue) => issue.path)).toEqual(['exec.allowed_commands[0].args', 'exec.allowed_commands[1].command']);
  });
});

describe('the JSON Schema knows the pinned form', () => {
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(manifestJsonSchema());

  it('accepts what the parser accepts', () => {
    const input = withCommands(['jq', pinnedGit]);
    expect(safeParseManifest(input).success).toBe(true);
    expect(validate(input)).toBe(true);
  });

  it.each([
    ['no args', [{ command: 'git' }]],
    ['an empty prefix', [{ command: 'git', args: [[]] }]],
    ['a flat list', [{ command: 'git', args: ['status'] }]],
    ['an unknown key', [{ command: 'git', args: [['status']], shell: true }]],
  ])('refuses %s, as the parser does', (_label, commands) => {
    expect(safeParseManifest(withCommands(commands)).success).toBe(false);
    expect(validate(withCommands(commands))).toBe(false);
  });
});
