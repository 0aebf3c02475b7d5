// Issue 14 (1): only registry specs reach pacote, and only its registry fetcher; git and script
// modules cannot be used at all. (The CLI test issue-14-registry-specs runs the attack itself.)
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { NpmRegistryClient } from '../src/npm-registry-client';
import { isBareSpec, parseRegistrySpec } from '../src/registry-spec';

describe('parseRegistrySpec', () => {
  test.each([
    ['notes', 'notes', 'range', '*'],
    ['notes@1.2.3', 'notes', 'version', '1.2.3'],
    ['notes@^1', 'notes', 'range', '^1'],
    ['notes@>=1 <2', 'notes', 'range', '>=1 <2'],
    ['notes@beta', 'notes', 'tag', 'beta'],
    ['@acme/notes@~2.1', '@acme/notes', 'range', '~2.1'],
  ])('accepts %s', (spec, name, type, fetchSpec) => {
    expect(parseRegistrySpec(spec)).toEqual({ name, type, fetchSpec, spec: `${name}@${fetchSpec}` });
  });

  test.each([
    ['git+file:///tmp/repo@1.0.0', 'a git repository'],
    ['git+file:///tmp/plain#x@1.0.0', 'a git repository'],
    ['acme/notes', 'a git repository'],
    ['notes@github:acme/notes', 'a git repository'],
    ['notes@git+ssh://git@example.com/n.git', 'a git repository'],
    ['notes@file:../notes', 'a folder'],
    ['./notes', 'a folder'],
    ['/tmp/notes.tgz', 'a tarball file'],
    ['notes@https://example.com/n.tgz', 'a tarball URL'],
    ['notes@npm:other@1', 'an npm: alias'],
    ['npm:other@1', 'an npm: alias'],
    ['Notes@1', 'is not a valid package name'],
    ['notes@1.0.0#evil', 'is not an npm package spec'],
    ['notes@1\n', 'control characters'],
  ])('refuses %j (%s)', (spec, why) => {
    expect(() => parseRegistrySpec(spec)).toThrow(
      expect.objectContaining({ code: 'SOURCE_UNSUPPORTED', message: expect.stringContaining(why) }),
    );
  });

  test('refuses a spec longer than any package name with a range', () => {
    expect(() => parseRegistrySpec(`notes@${'1'.repeat(600)}`)).toThrow(
      expect.objectContaining({ code: 'SOURCE_UNSUPPORTED', message: expect.stringContaining('characters long') }),
    );
  });

  test('a bare name, name@* and name@latest pick the newest runnable version; others do not', () => {
    expect(['notes', 'notes@*', 'notes@latest'].map((spec) => isBareSpec(parseRegistrySpec(spec)))).toEqual([true, true, true]);
    expect(['notes@1', 'notes@beta', 'notes@1.0.0'].map((spec) => isBareSpec(parseRegistrySpec(spec)))).toEqual([false, false, false]);
  });
});

describe('NpmRegistryClient refuses before any request', () => {
  let server: Server;
  let requests: string[];
  let client: NpmRegistryClient;
  let dir: string;

  beforeAll(async () => {
    requests = [];
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.writeHead(404).end('{}');
    });
    await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
    dir = mkdtempSync(join(tmpdir(), 'issue14-specs-'));
    const registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    client = new NpmRegistryClient({ registry, cacheDir: join(dir, 'cache'), cwd: dir, env: { HOME: dir } });
  });

  afterAll(async () => {
    await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
    rmSync(dir, { recursive: true, force: true });
  });

  test.each(['git+file:///tmp/repo@1.0.0', 'notes@file:../x', 'notes@npm:other@1', 'notes@https://example.com/n.tgz'])(
    'fetchTarball and resolve of %s',
    async (spec) => {
      await expect(client.fetchTarball(spec, join(dir, 'x.tgz'))).rejects.toMatchObject({ code: 'SOURCE_UNSUPPORTED' });
      await expect(client.resolve(spec)).rejects.toMatchObject({ code: 'SOURCE_UNSUPPORTED' });
      expect(requests).toEqual([]);
    },
  );

  test('versions of a name that is no package name (a lockfile key, a state entry)', async () => {
    await expect(client.versions('git+file:///tmp/repo')).rejects.toMatchObject({ code: 'SOURCE_UNSUPPORTED' });
    expect(requests).toEqual([]);
  });
});

// blockModules works on Node's own require cache, which jest replaces: run it in a child process.
describe('blockModules', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'issue14-blocked-'));
    const source = readFileSync(join(__dirname, '..', 'src', 'deferred-modules.ts'), 'utf8');
    writeFileSync(
      join(root, 'deferred-modules.js'),
      ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      }).outputText,
    );
    mkdirSync(join(root, 'node_modules', 'spawner'), { recursive: true });
    writeFileSync(
      join(root, 'node_modules', 'spawner', 'index.js'),
      'globalThis.loaded = true; module.exports = function spawn() { return "spawned"; }; module.exports.run = () => "ran";',
    );
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('a blocked module can be required but not used, and its real code never loads', () => {
    const script = `
      const { blockModules } = require('./deferred-modules.js');
      blockModules(['spawner'], process.cwd(), (name) => new Error('blocked ' + name));
      const spawner = require('spawner');
      const attempt = (fn) => { try { return fn(); } catch (e) { return e.message; } };
      console.log(JSON.stringify({
        call: attempt(() => spawner()), property: attempt(() => spawner.run()), construct: attempt(() => new spawner()),
        esModule: spawner.__esModule === undefined, loaded: globalThis.loaded === true,
      }));`;
    const child = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({
      call: 'blocked spawner',
      property: 'blocked spawner',
      construct: 'blocked spawner',
      esModule: true,
      loaded: false,
    });
  });
});
