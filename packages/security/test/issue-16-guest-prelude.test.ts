// Issue 16: the guest prelude is a checked source file (src/sandbox/guest/prelude.ts), compiled with
// the package like the other guest modules and read at worker start, instead of JavaScript in a
// string literal. Its behaviour is covered by the sandbox suites (hostile plugins, issue 13 and 15);
// these check what the move itself must keep.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRELUDE_MODULE, readGuestModules } from '../src/sandbox/guest-modules';

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
