// Issue 15 (14), through the binary: a webhook URL carries its secret in its path (Slack, Discord)
// or its query (?token=). The request goes out as the plugin made it, but what the operator's
// history keeps — history/audit.jsonl and `plugin audit --json` — shows it masked.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

const SECRET = 'XXXXSECRETXXXX';
let ws: Workspace;
let server: Server;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    hits.push(request.url ?? '');
    request.resume().on('end', () => response.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  ws = workspace();
  // Loopback is a private address: this host's operator allows it, as for a chat server on the LAN.
  mkdirSync(ws.home, { recursive: true });
  writeFileSync(join(ws.home, 'config.json'), JSON.stringify({ allow_private_network: true }));
});
afterEach(() => ws.cleanup());

test('a secret in a webhook URL reaches the server but never audit.jsonl or plugin audit', async () => {
  const folder = writePluginFolder(ws.plugins, {
    name: 'hook-poster',
    permissions: ['network'],
    manifest: { network: { allowed_hosts: ['127.0.0.1'] } },
    commands: [{ name: 'post', usage: '<url>' }],
    body:
      `{ commands: { post: async (ctx, args) => { const r = await ctx.net.fetch(args[0], ` +
      `{ method: 'POST', body: '{}' }); return 'status ' + r.status; } } }`,
  });
  await ws.ok(['plugin', 'install', folder, '--yes', '--enable']);
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/services/T000/B000/${SECRET}?token=${SECRET}`;
  expect((await ws.ok(['hook-poster', 'post', url])).stdout).toBe('status 200\n');
  expect(hits).toContain(`/services/T000/B000/${SECRET}?token=${SECRET}`);

  const trail = readFileSync(join(ws.home, 'history', 'audit.jsonl'), 'utf8');
  expect(trail).toContain(`http://127.0.0.1:${port}/services/***/***/***?token=***`);
  expect(trail).not.toContain(SECRET);
  const audit = (await ws.ok(['plugin', 'audit', 'hook-poster', '--json'])).stdout;
  expect(audit).toContain('net.fetch');
  expect(audit).not.toContain(SECRET);
});
