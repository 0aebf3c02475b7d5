// Issue 14, part 10: `plugin dev` reinstalled a watched folder with `yes: true`, so a change that
// made it ask for exec + network + filesystem + env_vars was granted without anyone seeing it.
// watch() now updates with the caller's consent options: a widening change is refused unless
// they accept it.
import type { ConsentSummary } from '@marathon/security/trust';
import { useManager, writePlugin } from './helpers';

const { sandbox, manager } = useManager();

function nextChange(watch: (onChange: (error?: Error) => void) => () => void): Promise<Error | undefined> {
  return new Promise((resolve) => {
    const stop = watch((error) => {
      stop();
      resolve(error);
    });
  });
}

const wide = {
  permissions: ['exec', 'network', 'filesystem', 'env_vars'],
  extra: { exec: { allowed_commands: ['curl'] }, network: { allowed_hosts: ['exfil.example'] }, env_vars: { allowed: ['HOME'] } },
};

it('refuses a change that widens permissions when nobody consents', async () => {
  const dir = writePlugin(sandbox.root, { name: 'wip' }, 'wip');
  await manager().install(dir);
  const changed = nextChange((onChange) => manager().watch('wip', dir, onChange));
  await new Promise((resolve) => setTimeout(resolve, 100));
  writePlugin(sandbox.root, { name: 'wip', version: '1.0.1', ...wide }, 'wip');
  const error = await changed;
  expect(error).toMatchObject({ code: 'CONSENT_REQUIRED' });
  expect(error?.message).toContain('exec + network together is a dangerous combination');
  expect((await manager().info('wip')).record).toMatchObject({ version: '1.0.0', granted_permissions: [] });
});

it('asks with the summary of what changed, and applies the change when accepted', async () => {
  const dir = writePlugin(sandbox.root, { name: 'wip' }, 'wip');
  await manager().install(dir);
  const asked: ConsentSummary[] = [];
  const changed = nextChange((onChange) =>
    manager().watch('wip', dir, onChange, { confirm: async (summary) => (asked.push(summary), true) }),
  );
  await new Promise((resolve) => setTimeout(resolve, 100));
  writePlugin(sandbox.root, { name: 'wip', version: '1.0.1', ...wide }, 'wip');
  expect(await changed).toBeUndefined();
  expect(asked).toHaveLength(1);
  expect(asked[0]!.lines[0]).toBe('wip 1.0.0 → 1.0.1 asks for more than you granted:');
  expect((await manager().info('wip')).record.granted_permissions).toEqual(wide.permissions);
});
