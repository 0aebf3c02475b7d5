import { codeBlocks, outputMatches, shellWords } from './doc-blocks';

test('code blocks carry their language, file, flags and line', () => {
  const blocks = codeBlocks(
    'intro\n```ts file=src/index.ts\nconst a = 1;\n```\n\n```console\n$ marathon --help\n```\n```ts no-run\nawait start();\n```\n',
  );
  expect(blocks).toEqual([
    { lang: 'ts', file: 'src/index.ts', body: 'const a = 1;\n', line: 2 },
    { lang: 'console', body: '$ marathon --help\n', line: 6 },
    { lang: 'ts', flags: ['no-run'], body: 'await start();\n', line: 9 },
  ]);
});

test('command lines split into words like a shell, quotes included', () => {
  expect(shellWords(`marathon task run --name "nightly backup" -- node -e ""`)).toEqual([
    'marathon',
    'task',
    'run',
    '--name',
    'nightly backup',
    '--',
    'node',
    '-e',
    '',
  ]);
  expect(shellWords("deny '^rm -rf /'")).toEqual(['deny', '^rm -rf /']);
  expect(() => shellWords('say "unclosed')).toThrow(/unclosed/);
});

test('expected output matches with … as a wildcard and spaces collapsed', () => {
  expect(outputMatches('✅ Key …', '✅ Key 0123abcd: private /tmp/x.key')).toBe(true);
  expect(outputMatches('✅ build-notifier files unchanged', '✅ build-notifier       files unchanged')).toBe(true);
  expect(outputMatches('finished: 1', 'finished: 12')).toBe(false);
  expect(outputMatches('a (b) [c]', 'a (b) [c]')).toBe(true);
});
