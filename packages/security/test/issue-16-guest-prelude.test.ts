// Issue 16: the guest prelude is a checked source file (src/sandbox/guest/prelude.ts), compiled with
// the package like the other guest modules and read at worker start, instead of JavaScript in a
// string literal. Its behaviour is covered by the sandbox suites (hostile plugins, issue 13 and 15);
// these check what the move itself must keep.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxHost } from '@marathon/security';
import { PRELUDE_MODULE, readGuestModules } from '../src/sandbox/guest-modules';
import { tempHome } from './sandbox-helpers';
import { loadGuestPlugin } from './written-plugins';

const guestDir = join(__dirname, '..', 'dist', 'sandbox', 'guest');

describe('the guest prelude as a compiled guest module', () => {
  it('is read with the other guest modules, wrapped as a function of (exports, require)', () => {
    const modules = readGuestModules(guestDir);
    const source = modules.get(PRELUDE_MODULE);
    expect(source).toMatch(/^\(function \(exports, require\) \{/);
    expect(source).toContain('exports.createBridge = createBridge');
  });

  it('uses no iteration protocol the plugin could replace (no spread, for…of or array destructuring)', () => {
    const code = readFileSync(join(guestDir, `${PRELUDE_MODULE}.js`), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '')
      .replace(/'(?:[^'\\\n]|\\.)*'/g, "''");
    expect(code).not.toContain('...');
    expect(code).not.toMatch(/\bfor\s*\([^)]*\bof\b/);
    expect(code).not.toMatch(/\b(?:const|let|var)\s*\[/);
    // Nothing but type imports: a guest `require` here would run before the intrinsics are captured.
    expect(code).not.toMatch(/\brequire\(/);
  });
});

describe('the prelude after the plugin replaced the string built-ins', () => {
  it('still routes each call to its handler and cuts a long message with its own slice', async () => {
    const home = tempHome();
    const host = new SandboxHost({ policy: { limits: { call_deadline_ms: 5000 } }, env: {} });
    try {
      const plugin = await loadGuestPlugin(host, home.home, {
        name: 'strings',
        commands: {
          // Every target the host sends ('command:other') would read as another one through these.
          spoil:
            "() => { String.prototype.indexOf = function () { return -1; }; String.prototype.slice = function () { return 'spoil'; }; return 'spoiled'; }",
          other: "() => 'other ran'",
          long: "() => { throw new Error('m'.repeat(3000)); }",
        },
      });
      expect(await plugin.runCommand('spoil', [])).toEqual({ ok: true, output: 'spoiled' });
      expect(await plugin.runCommand('other', [])).toEqual({ ok: true, output: 'other ran' });
      const long = await plugin.runCommand('long', []);
      expect(long.ok).toBe(false);
      if (!long.ok) expect(long.error.message).toBe(`plugin 'strings' failed: ${'m'.repeat(2000)}...`);
    } finally {
      await host.close();
      home.cleanup();
    }
  });
});
