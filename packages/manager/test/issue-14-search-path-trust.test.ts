// Issue 14, part 2: a `.marathon/plugins` folder in the working directory defeated
// require_signatures. A name resolved through the search paths counted as a typed folder for
// allow_unsigned_dev, `update` followed a name to wherever it was found now, and
// --with-dependencies pulled unsigned dependencies without showing what they got.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKey, signPlugin, type ConsentSummary } from '@marathon/security/trust';
import { managerError, useManager, writePlugin } from './helpers';

const { sandbox, manager, reopen } = useManager();
const author = generateSigningKey();

function policy(values: Record<string, unknown>): void {
  mkdirSync(sandbox.home, { recursive: true });
  writeFileSync(join(sandbox.home, 'config.json'), JSON.stringify(values));
}

function trustAuthor(): void {
  mkdirSync(join(sandbox.home, 'keys'), { recursive: true });
  writeFileSync(join(sandbox.home, 'keys', `${author.keyId}.pem`), author.publicKeyPem);
}

async function signed(parent: string, spec: Parameters<typeof writePlugin>[1], folder?: string): Promise<string> {
  const dir = writePlugin(parent, spec, folder);
  await signPlugin(dir, author.privateKeyPem, { name: spec.name, version: spec.version ?? '1.0.0' });
  return dir;
}

/** A second search path after the built-ins (the env path), as an operator's shared folder. */
function withEnvPath(dir: string, project = false) {
  return reopen({ env: { PATH: process.env.PATH, MARATHON_PLUGIN_PATH: dir, ...(project ? { MARATHON_PROJECT_PLUGINS: '1' } : {}) } });
}

describe('allow_unsigned_dev', () => {
  it('does not exempt an unsigned plugin found by name in the search paths', async () => {
    policy({ require_signatures: true, allow_unsigned_dev: true });
    writePlugin(sandbox.plugins, { name: 'planted' });
    const refused = await managerError(() => manager().install('planted'));
    expect(refused.code).toBe('TRUST_REFUSED');
    expect(refused.message).toContain('the policy requires signatures and the plugin is unsigned');
  });

  it('still exempts a folder the operator typed', async () => {
    policy({ require_signatures: true, allow_unsigned_dev: true });
    const dir = writePlugin(sandbox.root, { name: 'mine' }, 'work/mine');
    expect((await manager().install(dir)).signature).toBe('unsigned');
  });
});

describe('update keeps the source it was installed from', () => {
  it('takes a search-path install from its recorded folder, not from a copy found first elsewhere since', async () => {
    const shared = join(sandbox.root, 'shared');
    await signed(shared, { name: 'notifier', version: '1.0.0' });
    trustAuthor();
    await withEnvPath(shared);
    expect((await manager().install('notifier')).signature).toBe('valid');
    // A newer, unsigned copy appears in a search path that comes first (the home's drop-in folder).
    writePlugin(join(sandbox.home, 'plugins'), {
      name: 'notifier',
      version: '9.0.0',
      permissions: ['network'],
      extra: { network: { allowed_hosts: ['evil.example'] } },
    });
    expect(await manager().availableUpdate('notifier')).toMatchObject({ current: '1.0.0', reason: 'up to date' });
    // Asked for by name, the update still comes from the recorded folder.
    await signed(shared, { name: 'notifier', version: '1.1.0' });
    const updated = await manager().update('notifier', 'notifier');
    expect(updated).toMatchObject({
      version: '1.1.0',
      signature: 'valid',
      source: { kind: 'search-path', spec: 'notifier', location: join(shared, 'notifier') },
    });
  });

  it('refuses a new source or a lower signature status without their own consent, even with --yes', async () => {
    const shared = join(sandbox.root, 'shared');
    await signed(shared, { name: 'notifier', version: '1.0.0' });
    trustAuthor();
    await withEnvPath(shared);
    await manager().install('notifier');
    await manager().enable('notifier');
    const repo = writePlugin(sandbox.root, { name: 'notifier', version: '2.0.0' }, 'clone/notifier');
    const refused = await managerError(() => manager().update('notifier', repo, { yes: true }));
    expect(refused.code).toBe('CONSENT_REQUIRED');
    expect(refused.message).toContain(
      "plugin 'notifier' was not updated: the update would change where it comes from and its signature status",
    );
    expect(refused.message).toContain('--allow-source-change --allow-signature-downgrade');
    expect(refused.details).toEqual([
      `⚠️  source: the search paths, folder ${join(shared, 'notifier')} → the folder ${repo}`,
      '⚠️  signature: valid → unsigned',
    ]);
    expect((await manager().info('notifier')).record).toMatchObject({ version: '1.0.0', signature: 'valid', status: 'enabled' });

    // One flag is not the other.
    expect((await managerError(() => manager().update('notifier', repo, { yes: true, allowSourceChange: true }))).details).toEqual([
      '⚠️  signature: valid → unsigned',
    ]);
    // A prompt that says no refuses; one that says yes accepts.
    const asked: string[][] = [];
    const no = await managerError(() =>
      manager().update('notifier', repo, { confirmTrustChange: async (lines) => (asked.push([...lines]), false) }),
    );
    expect(no.message).toContain('consent was not given');
    expect(asked[0]![0]).toBe("Updating 'notifier' changes who vouches for it:");
    const record = await manager().update('notifier', repo, { allowSourceChange: true, allowSignatureDowngrade: true });
    expect(record).toMatchObject({ version: '2.0.0', signature: 'unsigned', source: { kind: 'folder', spec: repo } });
  });

  it('refuses a same-place update that is no longer signed', async () => {
    const dir = await signed(sandbox.root, { name: 'tool', version: '1.0.0' }, 'tool');
    trustAuthor();
    await manager().install(dir);
    writePlugin(sandbox.root, { name: 'tool', version: '1.1.0' }, 'tool');
    rmSync(join(dir, 'SIGNATURE.json'));
    const refused = await managerError(() => manager().update('tool', dir, { yes: true }));
    expect(refused.details).toEqual(['⚠️  signature: valid → unsigned']);
  });
});

describe('--with-dependencies', () => {
  it('asks for each dependency with its own summary, saying it is needed and unsigned', async () => {
    const shared = join(sandbox.root, 'shared');
    await signed(shared, { name: 'app', dependencies: { helper: '^1.0.0' } });
    trustAuthor();
    writePlugin(join(sandbox.root, '.marathon', 'plugins'), {
      name: 'helper',
      permissions: ['task_read', 'task_write', 'network', 'env_vars'],
      extra: { network: { allowed_hosts: ['collector.example'] }, env_vars: { allowed: ['AWS_SECRET_ACCESS_KEY'] } },
    });
    // The project folder is searched only when opted in.
    await withEnvPath(shared);
    expect((await managerError(() => manager().install('app', { withDependencies: true, yes: true }))).message).toContain(
      "no plugin named 'helper'",
    );
    await withEnvPath(shared, true);
    const asked: ConsentSummary[] = [];
    const declined = await managerError(() =>
      manager().install('app', { withDependencies: true, confirm: async (summary) => (asked.push(summary), false) }),
    );
    expect(declined.code).toBe('CONSENT_REQUIRED');
    expect(declined.message).toContain("plugin 'helper' was not installed");
    expect(asked).toHaveLength(1);
    expect(asked[0]!.lines[0]).toBe("'app' needs 'helper', which is not installed:");
    expect(asked[0]!.lines).toEqual(expect.arrayContaining(['  ⚠️  signature unsigned: the plugin is not signed (no SIGNATURE.json)']));
    expect(asked[0]!.lines.join('\n')).toMatch(/task_write[\s\S]*network[\s\S]*env_vars/);
    expect(await manager().list()).toEqual([]);

    const result = await manager().install('app', { withDependencies: true, yes: true });
    expect(result.dependency_details).toEqual([
      {
        name: 'helper',
        version: '1.0.0',
        signature: 'unsigned',
        permissions: ['task_read', 'task_write', 'network', 'env_vars'],
        warnings: ['the plugin is not signed (no SIGNATURE.json)'],
        needed_by: 'app',
      },
    ]);
  });

  it('refuses an unsigned dependency from the search paths under require_signatures', async () => {
    policy({ require_signatures: true });
    const shared = join(sandbox.root, 'shared');
    await signed(shared, { name: 'app', dependencies: { helper: '^1.0.0' } });
    trustAuthor();
    writePlugin(join(sandbox.root, '.marathon', 'plugins'), { name: 'helper' });
    await withEnvPath(shared, true);
    const refused = await managerError(() => manager().install('app', { withDependencies: true, yes: true }));
    expect(refused.code).toBe('TRUST_REFUSED');
    expect(refused.message).toContain("plugin 'helper' was refused");
    expect(await manager().list()).toEqual([]);
  });
});
