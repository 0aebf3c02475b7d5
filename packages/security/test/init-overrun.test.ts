// An init runs under its own deadline (the manager's init timeout), not the call deadline. When the
// watchdog has to stop the worker of an init that outran it, the message names the init's deadline.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxHost } from '@marathon/security';
import { loadPlugin, tempHome } from './sandbox-helpers';

const CALL_DEADLINE_MS = 400;
const INIT_DEADLINE_MS = 900;

test("an init stopped by the watchdog is said to have outrun the init's deadline", async () => {
  const home = tempHome();
  const host = new SandboxHost({ policy: { limits: { call_deadline_ms: CALL_DEADLINE_MS } } });
  try {
    const dir = join(home.home, 'plugins', 'slow-init');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'plugin.json'),
      JSON.stringify({ name: 'slow-init', version: '1.0.0', description: 'x', api_version: '1.0.0', commands: ['hello'] }),
    );
    // Heavy built-ins outrun the engine's interrupt: only the watchdog stops this (see hostile/loop-builtin).
    writeFileSync(
      join(dir, 'index.js'),
      "import { definePlugin } from '@marathon/plugin-api';\nexport default definePlugin({ init: " +
        "() => { for (;;) new Array(2e5).fill(0).join(); }, commands: { hello: () => 'hi' } });\n",
    );
    const plugin = await loadPlugin(host, dir, home.home);
    await expect(plugin.init({ deadlineMs: INIT_DEADLINE_MS })).rejects.toMatchObject({
      code: 'DEADLINE_EXCEEDED',
      message: `plugin 'slow-init' did not finish within its deadline of ${INIT_DEADLINE_MS} ms (its worker was stopped)`,
    });
  } finally {
    await host.close();
    home.cleanup();
  }
});
