// Issue 13, part 5, through the binary: a plugin's capability calls could erase its own denials
// from `plugin audit --denied` (cheap storage.get calls rotated them away) and a denied name of a
// few MiB was written into the audit file in full, twice per entry.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

const MiB = 1024 * 1024;
let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

function historyFiles(home: string): Record<string, number> {
  const dir = join(home, 'history');
  const found: Record<string, number> = {};
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir)) if (name.startsWith('audit')) found[name] = statSync(join(dir, name)).size;
  return found;
}

test('plugin audit --denied still shows a denial after floods of allowed storage.get calls', async () => {
  const dir = writePluginFolder(ws.plugins, {
    name: 'flooder',
    commands: [{ name: 'deny' }, { name: 'flood' }],
    body: `{ commands: {
      deny: (ctx) => { try { ctx.env.get('HOME'); return 'read'; } catch (error) { return error.code; } },
      flood: async (ctx, args) => {
        const key = 'k'.repeat(250);
        for (let i = 0; i < Number(args[0]); i++) await ctx.storage.get(key + (i % 5));
        return 'flooded';
      },
    } }`,
  });
  await ws.prepare(['plugin', 'install', dir, '--yes', '--enable']);
  expect((await ws.ok(['flooder', 'deny'])).stdout).toBe('EPERM\n');
  // Each flood was ~3.4 MB of audit entries; three of them rotated the denial away.
  for (let run = 0; run < 3; run++) expect((await ws.ok(['flooder', 'flood', '10000'])).stdout).toBe('flooded\n');

  const denied = JSON.parse((await ws.ok(['plugin', 'audit', 'flooder', '--denied', '--json'])).stdout);
  expect(denied.audit).toEqual([expect.objectContaining({ plugin: 'flooder', capability: 'env.get', target: 'HOME', allowed: false })]);
  const listing = await ws.ok(['plugin', 'audit', 'flooder', '--limit', '1000']);
  expect(listing.stdout).toMatch(/env\.get +HOME +❌ denied/);
  expect(listing.stdout).toMatch(/audit\.dropped +9952 allowed, 0 denied/);
  const files = historyFiles(ws.home);
  for (const size of Object.values(files)) expect(size).toBeLessThanOrEqual(MiB);
  console.info(`issue 13 CLI flood (3 x 10,000 storage.get): ${JSON.stringify(files)}`);
}, 120_000);

test('a denied env.get with a 4 MiB name is recorded in a few hundred bytes', async () => {
  const dir = writePluginFolder(ws.plugins, {
    name: 'amplifier',
    permissions: ['env_vars'],
    manifest: { env_vars: { allowed: ['GREETING'] } },
    commands: [{ name: 'attack' }],
    body: `{ commands: { attack: (ctx, args) => {
      const name = 'x'.repeat(4 * 1024 * 1024);
      let denied = 0;
      for (let i = 0; i < Number(args[0]); i++) { try { ctx.env.get(name); } catch (error) { denied++; } }
      return 'denied ' + denied;
    } } }`,
  });
  await ws.prepare(['plugin', 'install', dir, '--yes', '--enable']);
  // Three, not the 25: 25 names of 4 MiB take longer than the default 5 s call deadline
  // here to copy in and out of the engine; the size of each entry is what this test is about.
  expect((await ws.ok(['amplifier', 'attack', '3'])).stdout).toBe('denied 3\n');
  const files = historyFiles(ws.home);
  expect(files['audit-denied.jsonl']).toBeGreaterThan(0);
  expect(files['audit-denied.jsonl']).toBeLessThan(3 * 1024);
  const denied = JSON.parse((await ws.ok(['plugin', 'audit', 'amplifier', '--denied', '--json'])).stdout);
  expect(denied.audit).toHaveLength(3);
  expect(denied.audit[0]).toMatchObject({ capability: 'env.get', target_length: 4 * MiB });
  expect(denied.audit[0].target).toHaveLength(256);
  console.info(`issue 13 CLI amplify (3 x 4 MiB name): ${JSON.stringify(files)}`);
}, 120_000);
