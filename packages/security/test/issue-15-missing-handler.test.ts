// Issue 15, item 14: a handler the plugin's code lacks read "plugin 'mist' the plugin has no
// command named d". It names the plugin once, quotes the handler and says where it is missing.
import { join } from 'node:path';
import { SandboxHost, type SandboxedPlugin } from '@marathon/security';
import { fixtures, loadPlugin, tempHome } from './sandbox-helpers';

let host: SandboxHost;
let home: { home: string; cleanup(): void };
let hello: SandboxedPlugin;

beforeAll(async () => {
  home = tempHome();
  host = new SandboxHost({ policy: { limits: { call_deadline_ms: 2000 } }, env: {} });
  hello = await loadPlugin(host, join(fixtures, 'hello'), home.home);
  await hello.init();
});

afterAll(async () => {
  await host.close();
  home.cleanup();
});

it('words a missing command and a missing hook plainly', async () => {
  const command = await hello.runCommand('d', []);
  expect(!command.ok && command.error.message).toBe("plugin 'hello' has no command named 'd' in its code");
  const hook = await hello.callHook('user_auth', { username: 'ada', method: 'password' });
  expect(hook.result.message).toBe("plugin 'hello' has no hook named 'user_auth' in its code");
});
