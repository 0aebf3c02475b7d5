// `marathon plugin top` (issue 20): after `task run`s in other processes, --json and the snapshot
// printed without a terminal show their calls; on a real pty (util-linux `script`) the view
// redraws until `q`, and exits 0 with the terminal put back.
import { spawn } from 'node:child_process';
import { BINARY, workspace, type Workspace } from './marathon-binary';
import { installPluginFolder } from './plugin-folder';

let ws: Workspace;
beforeEach(async () => {
  ws = workspace();
  await installPluginFolder(ws, {
    name: 'busy',
    hooks: ['post_task_execute'],
    body: `{ hooks: { post_task_execute: () => { let x = 0; for (let i = 0; i < 100000; i++) x += i; return success('busy ' + x); } } }`,
  });
  await ws.ok(['task', 'run', '--', process.execPath, '-e', '']);
  await ws.ok(['task', 'run', '--', process.execPath, '-e', '']);
});
afterEach(() => ws.cleanup());

interface TopJson {
  window_ms: number;
  plugins: Array<{
    plugin: string;
    status: string;
    recent: { calls: number };
    hooks: Array<{ hook: string; calls: number }>;
    usage: unknown;
  }>;
}

test('--json reports the calls of the task runs, from the processes that made them', async () => {
  const report = JSON.parse((await ws.ok(['plugin', 'top', '--json'])).stdout) as TopJson;
  expect(report.window_ms).toBe(60_000);
  expect(report.plugins).toEqual([
    expect.objectContaining({
      plugin: 'busy',
      status: 'enabled',
      recent: expect.objectContaining({ calls: 2 }) as unknown,
      hooks: [expect.objectContaining({ hook: 'post_task_execute', calls: 2 })],
      usage: expect.objectContaining({ memory_bytes: expect.any(Number), cpu_ms: expect.any(Number) }) as unknown,
    }),
  ]);
});

test('without a terminal it prints one snapshot: the header, the columns and a row per plugin', async () => {
  const { stdout } = await ws.ok(['plugin', 'top']);
  const lines = stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^marathon plugin top {2}\S+Z {2}1 plugins, calls and rates over the last 60 s$/);
  expect(lines[2]).toMatch(/^PLUGIN +STATUS +CALLS\/S +P50 MS +P95 MS +ERR% +VETO% +LOAD\+INIT MS +MEM MIB +CPU MS$/);
  expect(lines[3]).toMatch(/^busy +enabled +0\.03 +\d+\.\d\d +\d+\.\d\d +0\.0 +0\.0 +\d+\.\d +\d+\.\d +\d+\.\d$/);
  expect(stdout).not.toContain('\u001b');
});

test('on a terminal it draws the view until q, then exits 0 and shows the cursor again', async () => {
  const command = [process.execPath, BINARY, 'plugin', 'top'].map((word) => `'${word}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: ws.root,
    env: { PATH: process.env.PATH, HOME: ws.root, MARATHON_HOME: ws.home, NO_COLOR: '1', TERM: 'xterm' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let sent = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    if (sent || !output.includes('(q quits)') || !output.includes('busy')) return;
    sent = true;
    child.stdin.write('q');
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  expect(code).toBe(0);
  expect(output).toContain('\u001b[H\u001b[2Jmarathon plugin top');
  expect(output).toMatch(/PLUGIN +STATUS +CALLS\/S/);
  expect(output.lastIndexOf('\u001b[?25h')).toBeGreaterThan(output.lastIndexOf('\u001b[2J'));
}, 60_000);
