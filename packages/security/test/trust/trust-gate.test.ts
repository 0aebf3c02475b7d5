import { execFileSync } from 'node:child_process';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { appendFileSync, chmodSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifest } from '@marathon/manifest';
import { securityPolicySchema } from '../../src/trust/security-policy-schema';
import {
  checkIntegrity,
  checkPolicy,
  consentSummary,
  DEFAULT_POLICY,
  generateSigningKey,
  inspectPlugin,
  listPluginFiles,
  loadPolicy,
  parsePolicy,
  recordIntegrity,
  RESIGN_HINT,
  signPlugin,
  type TrustError,
  type SecurityPolicy,
} from '@marathon/security';

const hello = join(__dirname, '..', 'fixtures', 'plugins', 'hello');
const author = generateSigningKey();
const trusted = new Map<string, KeyObject>([[author.keyId, createPublicKey(author.publicKeyPem)]]);
let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'marathon-trust-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function copyHello(name = 'hello'): string {
  const dir = join(root, name);
  cpSync(hello, dir, { recursive: true });
  return dir;
}

function policy(changes: Partial<SecurityPolicy> = {}): SecurityPolicy {
  return { ...DEFAULT_POLICY, ...changes };
}

describe('policy', () => {
  it('has defaults equal to what the schema gives an empty config', async () => {
    expect(DEFAULT_POLICY).toEqual(securityPolicySchema.parse({}));
    expect(await loadPolicy(root)).toEqual(securityPolicySchema.parse({}));
  });

  it('defaults to the policy of docs/design.md', async () => {
    expect(await loadPolicy(root)).toEqual({
      require_signatures: false,
      allow_unsigned_dev: true,
      max_plugin_size: 10 * 1024 * 1024,
      allowed_extensions: ['.js', '.mjs', '.cjs', '.json', '.md', '.txt', '.map', '.d.ts'],
      dangerous_permission_combos: [
        ['exec', 'filesystem'],
        ['exec', 'network'],
        ['network', 'env_vars'],
      ],
      limits: {},
      allow_private_network: false,
      unsigned_allowlist: [],
      max_archive_entries: 10000,
      quarantine: { enabled: true, max_faults: 5, max_breaches: 3, window_s: 60 },
    });
  });

  it("reads config.json, leaving the plugins' settings alone", async () => {
    writeFileSync(
      join(root, 'config.json'),
      JSON.stringify({ require_signatures: true, unsigned_allowlist: ['hello'], plugins: { hello: { anything: 1 } } }),
    );
    expect(await loadPolicy(root)).toMatchObject({ require_signatures: true, unsigned_allowlist: ['hello'] });
  });

  it('refuses bad values with every problem and its path', async () => {
    writeFileSync(
      join(root, 'config.json'),
      JSON.stringify({ require_signatures: 'yes', max_plugin_size: -1, dangerous_permission_combos: [['exec', 'root']] }),
    );
    await expect(loadPolicy(root)).rejects.toMatchObject({ code: 'POLICY_INVALID' });
    const error = (await loadPolicy(root).catch((e: unknown) => e)) as TrustError;
    expect(error.message).toContain('require_signatures:');
    expect(error.message).toContain('max_plugin_size:');
    expect(error.message).toContain('dangerous_permission_combos[0][1]:');
    writeFileSync(join(root, 'config.json'), '{ broken');
    await expect(loadPolicy(root)).rejects.toThrow(/is not valid JSON/);
    expect(() => parsePolicy({ limits: { max_memory: 'lots' } })).toThrow(/limits\.max_memory/);
  });

  it('returns every finding of a folder, not the first', async () => {
    const dir = copyHello();
    writeFileSync(join(dir, 'run.sh'), 'rm -rf /');
    writeFileSync(join(dir, 'native.node'), Buffer.alloc(10));
    writeFileSync(join(dir, 'LICENSE'), 'MIT');
    writeFileSync(join(dir, 'types.d.ts'), 'export {};');
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const manifest = parseManifest({
      name: 'x',
      version: '1.0.0',
      api_version: '1.0.0',
      permissions: ['exec', 'filesystem', 'network'],
      network: { allowed_hosts: ['a.b'] },
      exec: { allowed_commands: ['git'] },
    });
    const { files, problems } = await listPluginFiles(dir);
    const findings = checkPolicy(manifest, files, problems, policy({ max_plugin_size: 100 }));
    expect(findings.map((f) => `${f.rule}:${f.severity}:${f.file ?? ''}`)).toEqual([
      'max-plugin-size:error:',
      'file-extension:error:native.node',
      'file-extension:error:run.sh',
      'file-type:error:pipe',
      'dangerous-combination:consent:',
      'dangerous-combination:consent:',
    ]);
  });
});

describe('consent', () => {
  it('lists each permission with its scope and marks dangerous combinations', () => {
    const manifest = parseManifest({
      name: 'deployer',
      version: '2.0.0',
      api_version: '1.0.0',
      permissions: ['task_read', 'exec', 'filesystem', 'network'],
      network: { allowed_hosts: ['hooks.example.com'] },
      exec: { allowed_commands: ['git', 'make'] },
    });
    const summary = consentSummary(manifest);
    expect(summary.dangerousCombos).toEqual([
      ['exec', 'filesystem'],
      ['exec', 'network'],
    ]);
    expect(summary.lines).toEqual([
      'deployer 2.0.0 asks for:',
      '  - task_read — Read task data',
      '  ⚠️ exec — Run the system commands it lists: git, make',
      '  ⚠️ filesystem — Read and write files in its own data folder',
      '  ⚠️ network — Network access to the hosts it lists: hooks.example.com',
      '  ⚠️  exec: git (unpinned: git can run any program through its config — this amounts to a shell)',
      '  ⚠️  exec: make (unpinned: make runs the commands its Makefile and arguments give it — this amounts to a shell)',
      '  ⚠️  exec + filesystem together is a dangerous combination: it needs your explicit consent',
      '  ⚠️  exec + network together is a dangerous combination: it needs your explicit consent',
    ]);
  });

  it('says so when nothing is asked', () => {
    expect(consentSummary(parseManifest({ name: 'quiet', version: '1.0.0', api_version: '1.0.0' })).lines).toEqual([
      'quiet 1.0.0 asks for:',
      '  no permissions',
    ]);
  });
});

describe('integrity', () => {
  it('accepts the installed copy as it was, and names the file edited after install', async () => {
    const dir = copyHello();
    const recorded = await recordIntegrity(dir);
    expect(await checkIntegrity(dir, recorded, 'hello')).toEqual({ ok: true });
    appendFileSync(join(dir, 'lib', 'greeting.js'), '\n// sneaky');
    expect(await checkIntegrity(dir, recorded, 'hello')).toEqual({
      ok: false,
      change: { path: 'lib/greeting.js', change: 'changed' },
      message: 'hello was modified after install: lib/greeting.js was changed; reinstall it',
    });
  });

  it('reports an unreadable file as a modification, without crashing', async () => {
    const dir = copyHello();
    const recorded = await recordIntegrity(dir);
    if (process.getuid?.() !== 0) {
      chmodSync(join(dir, 'index.js'), 0o000);
      expect(await checkIntegrity(dir, recorded)).toMatchObject({ ok: false, change: { path: 'index.js', change: 'unreadable' } });
    } else {
      rmSync(join(dir, 'index.js'));
      expect(await checkIntegrity(dir, recorded)).toMatchObject({ ok: false, change: { path: 'index.js', change: 'removed' } });
    }
  });
});

describe('the install gate', () => {
  it('allows a clean unsigned plugin by default, with a warning', async () => {
    const inspection = await inspectPlugin(copyHello(), { policy: policy(), trustedKeys: trusted, source: 'archive' });
    expect(inspection.decision).toEqual({
      allowed: true,
      refusals: [],
      needsConsent: [],
      warnings: ['the plugin is not signed (no SIGNATURE.json)'],
    });
    expect(inspection.signature.status).toBe('unsigned');
    expect(inspection.manifest.name).toBe('hello');
  });

  it('refuses unsigned plugins when signatures are required, except from a dev folder or the allowlist', async () => {
    const dir = copyHello();
    const strict = policy({ require_signatures: true });
    expect((await inspectPlugin(dir, { policy: strict, trustedKeys: trusted, source: 'registry' })).decision.refusals).toEqual([
      'the policy requires signatures and the plugin is unsigned (add it to unsigned_allowlist, or sign it with a trusted key)',
    ]);
    expect((await inspectPlugin(dir, { policy: strict, trustedKeys: trusted, source: 'folder' })).decision.allowed).toBe(true);
    expect(
      (await inspectPlugin(dir, { policy: { ...strict, allow_unsigned_dev: false }, trustedKeys: trusted, source: 'folder' })).decision
        .allowed,
    ).toBe(false);
    expect(
      (await inspectPlugin(dir, { policy: { ...strict, unsigned_allowlist: ['hello'] }, trustedKeys: trusted, source: 'registry' }))
        .decision.allowed,
    ).toBe(true);
  });

  it('allows a validly signed plugin under required signatures, and refuses an untrusted one', async () => {
    const dir = copyHello();
    await signPlugin(dir, author.privateKeyPem, { name: 'hello', version: '1.0.0' });
    const strict = policy({ require_signatures: true });
    expect((await inspectPlugin(dir, { policy: strict, trustedKeys: trusted, source: 'registry' })).decision).toMatchObject({
      allowed: true,
      warnings: [],
    });
    expect((await inspectPlugin(dir, { policy: strict, trustedKeys: new Map(), source: 'registry' })).decision.allowed).toBe(false);
  });

  it('never allows a modified plugin, even where unsigned ones are allowed', async () => {
    const dir = copyHello();
    await signPlugin(dir, author.privateKeyPem, { name: 'hello', version: '1.0.0' });
    appendFileSync(join(dir, 'index.js'), '\n');
    const inspection = await inspectPlugin(dir, { policy: policy(), trustedKeys: trusted, source: 'folder', force: true });
    expect(inspection.decision.allowed).toBe(false);
    expect(inspection.decision.refusals).toEqual([
      `the signature no longer matches these files (index.js was changed after signing): ${RESIGN_HINT}`,
    ]);
  });

  it('refuses high scanner findings unless forced, and shows every finding either way', async () => {
    const dir = copyHello();
    writeFileSync(join(dir, 'lib', 'sneaky.js'), 'export const run = (s) => eval(s);\nObject.prototype.x = 1;\n');
    const refused = await inspectPlugin(dir, { policy: policy(), trustedKeys: trusted, source: 'archive' });
    expect(refused.decision.allowed).toBe(false);
    expect(refused.decision.refusals).toEqual([
      'lib/sneaky.js:1:27 eval: calls eval, which runs text as code (use --force to install anyway)',
    ]);
    expect(refused.decision.warnings).toContain(
      'lib/sneaky.js:2:1 prototype-mutation: reaches Object.prototype, shared by all code in the engine',
    );
    const forced = await inspectPlugin(dir, { policy: policy(), trustedKeys: trusted, source: 'archive', force: true });
    expect(forced.decision.allowed).toBe(true);
    expect(forced.decision.warnings).toContain('lib/sneaky.js:1:27 eval: calls eval, which runs text as code');
  });

  it('does not let --force override size or extension rules', async () => {
    const dir = copyHello();
    writeFileSync(join(dir, 'payload.exe'), 'MZ');
    const inspection = await inspectPlugin(dir, { policy: policy(), trustedKeys: trusted, source: 'archive', force: true });
    expect(inspection.decision.allowed).toBe(false);
    expect(inspection.decision.refusals[0]).toMatch(/^payload\.exe: files of this kind are not allowed/);
  });

  it('asks for consent to dangerous combinations', async () => {
    const dir = copyHello();
    writeFileSync(
      join(dir, 'plugin.json'),
      JSON.stringify({
        name: 'hello',
        version: '1.0.0',
        api_version: '1.0.0',
        permissions: ['task_read', 'exec', 'filesystem'],
        exec: { allowed_commands: ['git'] },
        hooks: ['post_task_execute'],
        commands: ['hello', 'greet'],
      }),
    );
    const inspection = await inspectPlugin(dir, { policy: policy(), trustedKeys: trusted, source: 'folder' });
    expect(inspection.decision.allowed).toBe(true);
    expect(inspection.decision.needsConsent).toEqual(['exec + filesystem together is a dangerous combination and needs explicit consent']);
    expect(inspection.consent.dangerousCombos).toEqual([['exec', 'filesystem']]);
  });
});
