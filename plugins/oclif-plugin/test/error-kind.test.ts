// How marathon-command's catch sorts an error that ended a command (error-kind.ts, internal to this
// package: the CLI's tests see its effect through the binary, issue-16-errors.test.ts there).
import { MarathonError } from '@marathon/plugin-api';
import { errorKind, unexpectedErrorLine } from '../src/error-kind';

describe('errorKind', () => {
  it('takes a Marathon error by its brand, even from another copy of the package', () => {
    expect(errorKind(new MarathonError('PLUGIN_GONE', 'gone')).kind).toBe('operator');
    const foreign = Object.assign(new Error('from a second copy'), { code: 'OTHER', details: [] });
    Object.defineProperty(foreign, Symbol.for('marathon.error'), { value: true });
    expect(errorKind(foreign).kind).toBe('operator');
  });

  it("leaves oclif's own errors and plain errors to oclif, and calls a coded stranger unexpected", () => {
    expect(errorKind(Object.assign(new Error('Unexpected argument: x'), { oclif: { exit: 2 } })).kind).toBe('oclif');
    expect(errorKind(new Error('plain')).kind).toBe('oclif');
    expect(errorKind(Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' })).kind).toBe('unexpected');
    expect(errorKind(Object.assign(new TypeError('bad'), { code: 'ERR_INVALID_ARG_TYPE' })).kind).toBe('unexpected');
  });
});

describe('unexpectedErrorLine', () => {
  it("says the error is unexpected, keeps Node's message and code, and names DEBUG=1", () => {
    const line = unexpectedErrorLine(Object.assign(new Error("EEXIST: file already exists, mkdir '/x'"), { code: 'EEXIST' }));
    expect(line).toMatch(/^unexpected error \(EEXIST\): EEXIST: file already exists, mkdir '\/x' — /);
    expect(line).toContain('DEBUG=1');
  });
});
