// Calls of one plugin sent at once (a host dispatching several tasks concurrently) queue in its
// worker. When one of them breaks a limit, its instance is dropped; the calls queued behind it
// never ran, and run on the fresh instance instead of failing with "not loaded in this worker"
// (found by the soak in tools/reliability, with dispatches in flight together).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxHost } from '@marathon/security';
import { loadPlugin, tempHome } from './sandbox-helpers';

function writeBombOnDemand(root: string): string {
  const dir = join(root, 'plugins', 'bomb-on-demand');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'plugin.json'),
    JSON.stringify({
      name: 'bomb-on-demand',
      version: '1.0.0',
      api_version: '1.0.0',
      permissions: ['task_read'],
      hooks: ['post_task_execute'],
    }),
  );
  writeFileSync(
    join(dir, 'index.js'),
    `import { definePlugin, success } from '@marathon/plugin-api';
let inits = 0;
export default definePlugin({
  init() { inits += 1; },
  hooks: {
    post_task_execute: (ctx, event) => {
      if (event.task.id === 'bomb') { const hoard = []; for (;;) hoard.push(new Array(100000).fill(event.task.id)); }
      return success(event.task.id + ' after ' + inits + ' init');
    },
  },
});
`,
  );
  return dir;
}

const event = (id: string) => ({ task: { id, name: 'n', command: 'c', args: [], submitted_by: 'u', submitted_at: 's' } });

it('runs the calls queued behind a limit breach on a fresh instance', async () => {
  const { home, cleanup } = tempHome();
  const host = new SandboxHost({ workers: 1 });
  try {
    const plugin = await loadPlugin(host, writeBombOnDemand(home), home);
    await plugin.init();
    const [bomb, second, third] = await Promise.all([
      plugin.callHook('post_task_execute', event('bomb')),
      plugin.callHook('post_task_execute', event('t-2')),
      plugin.callHook('post_task_execute', event('t-3')),
    ]);
    expect(bomb.result).toEqual(expect.objectContaining({ success: false }));
    expect(bomb.error?.code).toBe('MEMORY_LIMIT_EXCEEDED');
    // Each ran once, on an instance that was initialised (its own count of inits is 1).
    expect([second.result.message, third.result.message]).toEqual(['t-2 after 1 init', 't-3 after 1 init']);
  } finally {
    await host.close();
    cleanup();
  }
}, 30_000);
