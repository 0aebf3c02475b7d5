// Issue 13 (6): a plugin's text was printed raw, so its escape sequences reached the operator's
// terminal: a description, veto reason or command output could erase the refusal line and print
// "✅ task allowed" over it, or write the clipboard (OSC 52). Human output now shows control
// characters as visible escapes; --json stays exact JSON.
import { workspace, type Outcome, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let ws: Workspace;
beforeAll(async () => {
  ws = workspace();
  const dir = writePluginFolder(ws.plugins, {
    name: 'painter',
    hooks: ['pre_task_submit', 'cli_command'],
    commands: [
      { name: 'paint', description: 'Paints \u001b[2K\r✅ over the line' },
      { name: 'crash', description: 'Throws' },
    ],
    manifest: { description: ERASE, author: { name: `Mallory${ERASE}` } },
    body: `{
      hooks: {
        pre_task_submit: () => failure(${JSON.stringify(ERASE)}),
        cli_command: (ctx, event) => event.command === 'plugin:refresh' ? failure(${JSON.stringify(ERASE)}) : success(),
      },
      commands: {
        paint: (ctx) => {
          // A denied capability call, so that its target lands in the audit trail.
          try { ctx.env.get(${JSON.stringify(`HOME${ERASE}`)}); } catch {}
          return ${JSON.stringify(`copied${OSC52}\nline two\u009b2K\u202ereversed\r\n`)};
        },
        crash: () => { throw new Error(${JSON.stringify(`boom${ERASE}`)}); },
      },
    }`,
  });
  await ws.prepare(['plugin', 'install', dir, '--yes', '--enable']);
});
afterAll(() => ws.cleanup());

// What the attacker wanted on the terminal: erase the line, go back to its start, claim success.
const ERASE = '\u001b[2K\r✅ task allowed';
// Writes "rm -rf ~" to the clipboard.
const OSC52 = '\u001b]52;c;cm0gLXJmIH4=\u0007';

/** Fails unless no byte a terminal would act on is in the output (line breaks aside). */
function expectInert(outcome: Outcome): void {
  for (const [stream, text] of [
    ['stdout', outcome.stdout],
    ['stderr', outcome.stderr],
  ] as const) {
    expect({
      stream,
      esc: text.includes('\u001b'),
      cr: text.includes('\r'),
      c1: /[\u0080-\u009f]/.test(text),
      bidi: /[\u202a-\u202e\u2066-\u2069]/.test(text),
      bel: text.includes('\u0007'),
    }).toEqual({
      stream,
      esc: false,
      cr: false,
      c1: false,
      bidi: false,
      bel: false,
    });
  }
}

test('a veto reason cannot overwrite the refusal of a task', async () => {
  const outcome = await ws.run(['task', 'run', '--', process.execPath, '-e', '']);
  expectInert(outcome);
  expect(outcome.code).toBe(1);
  // One line: the refusal, with the attempt shown for what it is.
  expect(outcome.stderr).toBe("❌ task refused: plugin 'painter' vetoed pre_task_submit: \\x1b[2K\\x0d✅ task allowed. Nothing was run.\n");
});

test('a cli_command veto reason is shown inert', async () => {
  const outcome = await ws.run(['plugin', 'refresh']);
  expectInert(outcome);
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toBe("❌ plugin 'painter' vetoed cli_command: \\x1b[2K\\x0d✅ task allowed\n");
});

test('description and author are shown inert in plugin list and plugin info', async () => {
  const list = await ws.ok(['plugin', 'list']);
  expectInert(list);
  expect(list.stdout).toMatch(/^painter +1\.0\.0 +✅ enabled +\\x1b\[2K\\x0d✅ task allowed$/m);
  const info = await ws.ok(['plugin', 'info', 'painter']);
  expectInert(info);
  expect(info.stdout).toContain('Description:  \\x1b[2K\\x0d✅ task allowed\n');
  expect(info.stdout).toContain('Author:       Mallory\\x1b[2K\\x0d✅ task allowed\n');
});

test("a plugin command's output keeps its lines but loses its escapes (OSC 52, C1 CSI, bidi, CR)", async () => {
  for (const command of [
    ['painter', 'paint'],
    ['plugin', 'run', 'painter', 'paint'],
  ]) {
    const outcome = await ws.ok(command);
    expectInert(outcome);
    expect(outcome.stdout).toBe('copied\\x1b]52;c;cm0gLXJmIH4=\\x07\nline two\\x9b2K\\u202ereversed\n\n');
  }
});

test('an error a plugin throws is shown inert', async () => {
  const outcome = await ws.run(['painter', 'crash']);
  expectInert(outcome);
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toContain('boom\\x1b[2K\\x0d✅ task allowed');
});

test('plugin events and plugin audit show what the plugin wrote inert', async () => {
  const events = await ws.ok(['plugin', 'events']);
  expectInert(events);
  expect(events.stdout).toMatch(/❌ pre_task_submit +painter .*\\x1b\[2K\\x0d✅ task allowed$/m);
  await ws.prepare(['painter', 'paint']);
  const audit = await ws.ok(['plugin', 'audit', 'painter', '--denied']);
  expectInert(audit);
  expect(audit.stdout).toContain('HOME\\x1b[2K\\x0d✅ task allowed');
});

test("--json keeps the plugin's exact text, escaped as JSON", async () => {
  const list = await ws.ok(['plugin', 'list', '--json']);
  expectInert(list);
  expect(JSON.parse(list.stdout).plugins[0].description).toBe(ERASE);
  const paint = await ws.ok(['painter', 'paint', '--json']);
  expectInert(paint);
  expect(JSON.parse(paint.stdout).output).toBe(`copied${OSC52}\nline two\u009b2K\u202ereversed\r\n`);
});

test("help shows a plugin's descriptions and usage inert (the command cache holds them neutralised)", async () => {
  for (const args of [['--help'], ['painter', '--help'], ['painter', 'paint', '--help']]) {
    const outcome = await ws.ok(args);
    expectInert(outcome);
  }
  expect((await ws.ok(['painter', 'paint', '--help'])).stdout).toContain('Paints \\x1b[2K\\x0d✅ over the line');
});
