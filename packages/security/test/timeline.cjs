const { SandboxHost } = require('../dist/index.js');
const { readManifest } = require('@marathon/manifest');
const fs = require('fs');
const os = require('os');
const path = require('path');
(async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-'));
  const host = new SandboxHost({ workers: 1 });
  const plugins = [];
  for (let i = 0; i < 10; i++) {
    const dir = path.join(root, 'p' + i);
    fs.mkdirSync(dir);
    fs.writeFileSync(
      dir + '/plugin.json',
      JSON.stringify({ name: 'b' + i, version: '1.0.0', api_version: '1.0.0', permissions: ['task_read'], hooks: ['post_task_execute'] }),
    );
    fs.writeFileSync(
      dir + '/index.js',
      "import { definePlugin, success } from '@marathon/plugin-api';\nexport default definePlugin({ " +
        "hooks: { post_task_execute: (ctx, event) => success('seen ' + event.task.id) } });\n",
    );
    plugins.push(
      await host.load({ dir, manifest: await readManifest(dir), dataDir: path.join(root, 'd' + i), storageFile: path.join(root, 's' + i) }),
    );
  }
  const event = {
    task: {
      id: 'task-000042',
      name: 'nightly-build',
      command: 'make',
      args: ['-j8', 'release'],
      submitted_by: 'ada@example.com',
      submitted_at: '2026-11-25T12:00:00.000Z',
    },
    result: { exit_code: 0, duration_ms: 1234 },
  };
  const sums = [0, 0, 0, 0, 0, 0];
  const N = 3000;
  for (let i = 0; i < N + 1000; i++) {
    const t0 = performance.timeOrigin + performance.now();
    await host.dispatchHook('post_task_execute', event, plugins);
    const t6 = performance.timeOrigin + performance.now();
    const [p0, r, c] = globalThis.__lastMarks;
    if (i >= 1000) {
      const parts = [globalThis.__sent - t0, r - globalThis.__sent, c - r, p0 - c, globalThis.__recv - p0, t6 - globalThis.__recv];
      parts.forEach((v, k) => (sums[k] += v));
    }
  }
  console.log(
    ['main before send', 'hop to worker', 'worker runCalls', 'worker reply build', 'hop to main (incl. postMessage)', 'main after receive']
      .map((l, k) => `${l}: ${((sums[k] * 1000) / N).toFixed(1)}µs`)
      .join('\n'),
  );
  await host.close();
})();
