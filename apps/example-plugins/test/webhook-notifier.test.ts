import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadPlugin, taskEvent, type TestPlugin } from '@marathon/plugin-testing';
import { built } from './example-folder';

interface Received {
  method: string;
  url: string;
  type: string;
  authorization: string | undefined;
  body: unknown;
}

let server: Server;
let port = 0;
let received: Received[] = [];
let status = 204;
let plugin: TestPlugin | undefined;

function read(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => resolve(text));
  });
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    received.push({
      method: request.method ?? '',
      url: request.url ?? '',
      type: request.headers['content-type'] ?? '',
      authorization: request.headers.authorization,
      body: JSON.parse(await read(request)),
    });
    response.statusCode = status;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
  status = 204;
});
afterEach(async () => {
  await plugin?.close();
  plugin = undefined;
});

// The manifest allows hooks.example.com; the test pins that name to its local server, as curl's
// --resolve would, and allows private addresses, which the default policy refuses.
const local = () => ({
  config: { url: `http://hooks.example.com:${port}/marathon` },
  resolve: { 'hooks.example.com': '127.0.0.1' },
});

test('posts each executed task to the webhook, over real HTTP', async () => {
  plugin = await loadPlugin(built('webhook-notifier'), { ...local(), allowPrivateNetwork: true });
  const result = await plugin.hook(
    'post_task_execute',
    taskEvent({ id: 't-9', name: 'deploy', command: 'make', args: ['deploy'] }, { exit_code: 0, duration_ms: 1900 }),
  );
  expect(result).toMatchObject({ success: true, message: 'posted (204)' });
  expect(received).toEqual([
    {
      method: 'POST',
      url: '/marathon',
      type: 'application/json',
      authorization: undefined,
      body: {
        text: '✅ deploy finished with exit code 0 in 1.9 s',
        task: { id: 't-9', name: 'deploy', command: 'make', args: ['deploy'], submitted_by: 'tester' },
        result: { exit_code: 0, duration_ms: 1900 },
      },
    },
  ]);
  status = 500;
  expect(await plugin.hook('post_task_execute', taskEvent({}, { exit_code: 2, duration_ms: 10 }))).toMatchObject({
    success: false,
    message: 'the webhook answered 500',
  });
});

test('the default policy keeps it away from private addresses', async () => {
  plugin = await loadPlugin(built('webhook-notifier'), local());
  const result = await plugin.hook('post_task_execute', taskEvent({}, { exit_code: 0, duration_ms: 1 }));
  expect(result.success).toBe(false);
  expect(result.message).toContain("host 'hooks.example.com' resolves to a private or loopback address");
  expect(received).toEqual([]);
});

test('sends the secret token as a bearer token when the operator set one', async () => {
  // The host gives the plugin the token's value, resolved from the ${NAME} reference the operator set.
  plugin = await loadPlugin(built('webhook-notifier'), {
    ...local(),
    config: { ...local().config, token: 's3cret' },
    allowPrivateNetwork: true,
  });
  expect(await plugin.hook('post_task_execute', taskEvent({}, { exit_code: 0, duration_ms: 1 }))).toMatchObject({ success: true });
  expect(received.map((request) => request.authorization)).toEqual(['Bearer s3cret']);
});

test('declares url (http or https, no default) and a secret token', async () => {
  plugin = await loadPlugin(built('webhook-notifier'));
  expect(plugin.manifest.configuration).toEqual({
    url: { type: 'string', description: expect.any(String), pattern: '^https?://' },
    token: { type: 'string', description: expect.any(String), secret: true },
  });
});

test('reaches no other host, and reads no other variable', async () => {
  plugin = await loadPlugin(built('webhook-notifier'), {
    config: { url: `http://127.0.0.1:${port}/x` },
    env: { AWS_SECRET_ACCESS_KEY: 'k' },
    allowPrivateNetwork: true,
  });
  const result = await plugin.hook('post_task_execute', taskEvent({}, { exit_code: 0, duration_ms: 1 }));
  expect(result).toMatchObject({ success: false });
  expect(result.message).toContain("host '127.0.0.1' is not in network.allowed_hosts");
  expect(received).toEqual([]);
});

test('url unset: MARATHON_WEBHOOK_URL is the fallback, and the setting wins over it', async () => {
  plugin = await loadPlugin(built('webhook-notifier'), {
    env: { MARATHON_WEBHOOK_URL: 'https://hooks.example.com/from-env' },
    fetch: [{ url: 'https://hooks.example.com/from-env', method: 'POST', response: { status: 200 } }],
  });
  expect(await plugin.command('test')).toBe('✅ posted (200)');
  await plugin.close();
  plugin = await loadPlugin(built('webhook-notifier'), {
    config: { url: 'https://hooks.example.com/T123' },
    env: { MARATHON_WEBHOOK_URL: 'https://hooks.example.com/from-env' },
    fetch: [{ url: 'https://hooks.example.com/T123', method: 'POST', response: { status: 200 } }],
  });
  expect(await plugin.command('test')).toBe('✅ posted (200)');
});

test('does nothing with neither the url setting nor MARATHON_WEBHOOK_URL', async () => {
  plugin = await loadPlugin(built('webhook-notifier'));
  expect(await plugin.hook('post_task_execute', taskEvent({}, { exit_code: 0, duration_ms: 1 }))).toMatchObject({
    success: true,
    message: 'no webhook configured (marathon plugin config webhook-notifier url <url>)',
  });
});
