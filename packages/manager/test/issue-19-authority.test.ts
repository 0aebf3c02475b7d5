// Issue 19: the operator narrows or widens what one plugin may do (environment variables here; the
// same code path serves hosts, commands, private network and limits). Narrowing asks nothing,
// widening needs consent, every change is audited, the plugin's files stay as installed, and the
// changes travel through export and sync.
import { join } from 'node:path';
import type { Lockfile } from '../src';
import { managerError, useManager, writePlugin } from './helpers';

const ENV = { PATH: process.env.PATH, HOOK_URL: 'https://a.example', HOOK_TOKEN: 'tok', OTHER: 'other' };
const { manager, sandbox, reopen } = useManager({ options: { env: ENV } });

/** A plugin allowed HOOK_URL and HOOK_TOKEN; `read <name>` answers with what ctx.env.get gives, or the refusal. */
async function installReader(): Promise<void> {
  writePlugin(sandbox.plugins, {
    name: 'reader',
    permissions: ['env_vars'],
    commands: ['read'],
    extra: { env_vars: { allowed: ['HOOK_URL', 'HOOK_TOKEN'] } },
    body: '{ commands: { read: (ctx, args) => { try { return String(ctx.env.get(args[0])); } catch (e) { return "refused: " + e.message; } } } }',
  });
  await manager().install('reader', { yes: true });
  await manager().enable('reader');
}

const read = async (name: string): Promise<string | undefined> => manager().run('reader', 'read', [name]);

it('narrows without asking, refuses to widen without consent (writing nothing), widens with it, and audits each change', async () => {
  await installReader();
  expect(await read('HOOK_TOKEN')).toBe('tok');
  const narrowed = await manager().changeAuthority('reader', { env_vars: ['HOOK_URL'] });
  expect(narrowed.rows.find((row) => row.key === 'env_vars')).toMatchObject({
    author: ['HOOK_URL', 'HOOK_TOKEN'],
    effective: ['HOOK_URL'],
  });
  expect(await read('HOOK_TOKEN')).toContain("refused: env.get: 'HOOK_TOKEN' is not in env_vars.allowed");
  expect(await read('HOOK_URL')).toBe('https://a.example');

  const before = JSON.stringify(await manager().store.read());
  const asked: string[][] = [];
  const unconsented = await managerError(() =>
    manager().changeAuthority('reader', { env_vars: ['HOOK_URL', 'OTHER'] }, { confirm: async (lines) => (asked.push([...lines]), false) }),
  );
  expect(unconsented.code).toBe('CONSENT_REQUIRED');
  expect(asked).toEqual([['environment variables it may read: + OTHER']]);
  expect((await managerError(() => manager().changeAuthority('reader', { env_vars: ['OTHER'] }))).code).toBe('CONSENT_REQUIRED');
  expect(JSON.stringify(await manager().store.read())).toBe(before);
  expect(await read('OTHER')).toContain('refused');

  await manager().changeAuthority('reader', { env_vars: ['OTHER'] }, { confirm: async () => true });
  expect(await read('OTHER')).toBe('other');
  await manager().changeAuthority('reader', { env_vars: null });
  expect(await read('HOOK_TOKEN')).toBe('tok');

  await manager().close();
  const audit = (await reopen({ env: ENV }).then((reopened) => reopened.auditTrail({ plugin: 'reader' }))).filter(
    (entry) => entry.capability === 'authority',
  );
  expect(audit.map((entry) => [entry.target, entry.reason])).toEqual([
    ['env_vars: HOOK_URL (plugin.json: HOOK_URL, HOOK_TOKEN)', 'set by the operator'],
    ['env_vars: OTHER (plugin.json: HOOK_URL, HOOK_TOKEN)', 'widened by the operator, with consent'],
    ['env_vars: back to HOOK_URL, HOOK_TOKEN (plugin.json)', 'reset by the operator'],
  ]);
});

it('refuses what the plugin was not granted, a value that cannot be, and memory below the engine, each writing nothing', async () => {
  await installReader();
  const before = JSON.stringify(await manager().store.read());
  const hosts = await managerError(() => manager().changeAuthority('reader', { allowed_hosts: ['chat.example.org'] }, { yes: true }));
  expect(hosts.code).toBe('AUTHORITY_INVALID');
  expect(hosts.message).toBe("plugin 'reader' was not granted the network permission, so the hosts it may reach cannot be changed");
  expect((await managerError(() => manager().changeAuthority('reader', { env_vars: ['NOT-A-NAME'] }, { yes: true }))).code).toBe(
    'AUTHORITY_INVALID',
  );
  const memory = await managerError(() => manager().changeAuthority('reader', { max_memory: 1024 * 1024 }, { yes: true }));
  expect(memory.message).toContain('must be a whole number from 16777216');
  expect(JSON.stringify(await manager().store.read())).toBe(before);
});

it('leaves the installed files as they were, and carries the changes through export and sync onto a fresh home', async () => {
  await installReader();
  const integrity = (await manager().store.read()).plugins.reader!.integrity;
  await manager().changeAuthority('reader', { env_vars: ['OTHER'], call_deadline_ms: 2000 }, { yes: true });
  expect((await manager().store.read()).plugins.reader!.integrity).toEqual(integrity);
  const lock: Lockfile = await manager().exportLock();
  expect(lock.plugins.reader!.authority).toEqual({ call_deadline_ms: 2000, env_vars: ['OTHER'] });

  const fresh = await reopen({ env: ENV, home: join(sandbox.root, 'fresh-home') });
  expect((await fresh.sync(lock)).map((step) => step.action)).toEqual(['install', 'enable', 'configure']);
  expect(await fresh.run('reader', 'read', ['OTHER'])).toBe('other');
  expect((await fresh.authority('reader')).rows.find((row) => row.key === 'call_deadline_ms')?.effective).toBe(2000);

  const other = await reopen({ env: ENV, home: join(sandbox.root, 'other-home') });
  const bad: Lockfile = JSON.parse(JSON.stringify(lock)) as Lockfile;
  bad.plugins.reader!.authority = { allowed_hosts: ['chat.example.org'] };
  const failed = await managerError(() => other.sync(bad));
  expect([failed.message, ...failed.details].join('\n')).toContain('was not granted the network permission');
  expect(Object.keys((await other.store.read()).plugins)).toEqual([]);
});

it("carries the operator's hook priorities through export and sync, checked against what the plugin handles", async () => {
  writePlugin(sandbox.plugins, { name: 'early', hooks: [{ name: 'pre_task_submit', priority: 10 }] });
  await manager().install('early', { yes: true });
  await manager().enable('early');
  await manager().setPriority('early', 'pre_task_submit', 5000);
  const lock: Lockfile = await manager().exportLock();
  expect(lock.plugins.early!.priorities).toEqual({ pre_task_submit: 5000 });

  const fresh = await reopen({ env: ENV, home: join(sandbox.root, 'fresh-home') });
  expect((await fresh.sync(lock)).map((step) => step.action)).toEqual(['install', 'enable', 'configure']);
  expect(await fresh.priorities('early')).toEqual([{ hook: 'pre_task_submit', declared: 10, override: 5000, effective: 5000 }]);
  lock.plugins.early!.priorities = { pre_task_submit: 10 };
  expect((await fresh.sync(lock)).map((step) => step.action)).toEqual(['configure']);
  expect((await fresh.priorities('early'))[0]!.effective).toBe(10);

  const bad: Lockfile = JSON.parse(JSON.stringify(lock)) as Lockfile;
  bad.plugins.early!.priorities = { post_task_execute: 1 } as Lockfile['plugins'][string]['priorities'];
  const failed = await managerError(() => fresh.sync(bad));
  expect([failed.message, ...failed.details].join('\n')).toContain("does not handle hook 'post_task_execute'");
  expect((await fresh.priorities('early'))[0]!.effective).toBe(10);
});
