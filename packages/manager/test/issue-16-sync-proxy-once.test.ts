// A sync reads npm's proxy settings (the npmrc layers and the environment) once, not once for
// each plugin it downloads from a URL (issue 16).
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as NodeFs from 'node:fs';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PluginManager } from '@marathon/manager';
import { open, tempRoot, writePlugin, type Sandbox } from './helpers';

// The module object itself (not an import's copy): the registry reads through it.
const fs = require('node:fs') as typeof NodeFs;

let sandbox: Sandbox;
let server: Server | undefined;
const userconfig = process.env.npm_config_userconfig;

beforeEach(() => {
  sandbox = tempRoot();
});
afterEach(async () => {
  jest.restoreAllMocks();
  if (userconfig === undefined) delete process.env.npm_config_userconfig;
  else process.env.npm_config_userconfig = userconfig;
  await new Promise((resolve) => (server === undefined ? resolve(undefined) : server.close(resolve)));
  server = undefined;
  sandbox.cleanup();
});

/** Serves each archive at /<its file name>; resolves to the server's base URL. */
async function serve(files: string[]): Promise<string> {
  const bodies = new Map(files.map((file) => [`/${basename(file)}`, readFileSync(file)]));
  server = createServer((request, response) => {
    const body = bodies.get(request.url ?? '');
    response.statusCode = body === undefined ? 404 : 200;
    response.end(body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

function pack(name: string): string {
  const dir = writePlugin(join(sandbox.root, 'src'), { name, permissions: ['task_read'], hooks: ['post_task_execute'] });
  const file = join(sandbox.root, `${name}.tgz`);
  execFileSync('tar', ['czf', file, '-C', dirname(dir), basename(dir)]);
  return file;
}

it('reads the npmrc layers once for a sync that downloads two plugins from URLs', async () => {
  const rc = join(sandbox.root, 'user.npmrc');
  writeFileSync(rc, 'noproxy=127.0.0.1,localhost\n');
  process.env.npm_config_userconfig = rc;
  const base = await serve([pack('alpha'), pack('beta')]);
  const source = await open(sandbox);
  for (const name of ['alpha', 'beta']) await source.install(`${base}/${name}.tgz`, { yes: true });
  const lock = await source.exportLock();
  await source.close();

  const other = tempRoot();
  try {
    const target = await PluginManager.open({ home: other.home, cwd: other.root, env: { PATH: process.env.PATH } });
    const reads = jest.spyOn(fs, 'readFileSync');
    try {
      await target.sync(lock);
    } finally {
      await target.close();
    }
    expect(reads.mock.calls.filter(([file]) => file === rc)).toHaveLength(1);
  } finally {
    other.cleanup();
  }
});
