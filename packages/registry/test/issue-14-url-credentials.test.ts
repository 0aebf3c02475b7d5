// Issue 14 (7, the source side): a URL's user:password and query token were kept in the spec the
// manager records (state.json, `plugin info`, exported lockfiles) and quoted in errors. They are
// now used for the one fetch only, sent only to the origin they were typed for, and never part of
// the spec or of a message.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryError, stageSource, type StageOptions } from '@marathon/registry';
import { packPlugin, serve, type TestServer } from './hostile-server';

let root: string;
let staging: string;
const servers: TestServer[] = [];
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'marathon-issue14-creds-'));
  staging = join(root, 'staging');
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  rmSync(root, { recursive: true, force: true });
});

const options = (extra: Partial<StageOptions> = {}): StageOptions => ({
  paths: [],
  stagingDir: staging,
  maxBytes: 64 * 1024,
  maxEntries: 100,
  ...extra,
});
const BASIC = `Basic ${Buffer.from('deploy:pa55-w0rd').toString('base64')}`;
const SECRETS = ['deploy', 'pa55-w0rd', 'tok-123456', 'X-Amz-Signature', 'sig-abcdef'];
async function started(server: Promise<TestServer>): Promise<TestServer> {
  servers.push(await server);
  return servers[servers.length - 1]!;
}
function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

it('fetches with the credentials and query typed, and records the URL without them', async () => {
  const body = readFileSync(packPlugin(root, 'private'));
  const server = await started(
    serve((request, response) => {
      const authorised =
        request.headers.authorization === BASIC && request.url === '/private.tgz?token=tok-123456&X-Amz-Signature=sig-abcdef';
      response.writeHead(authorised ? 200 : 401).end(authorised ? body : undefined);
    }),
  );
  const port = new URL(server.url).port;
  const staged = await stageSource(
    `http://deploy:pa55-w0rd@127.0.0.1:${port}/private.tgz?token=tok-123456&X-Amz-Signature=sig-abcdef#frag`,
    options(),
  );
  expect(staged.spec).toBe(`http://127.0.0.1:${port}/private.tgz`);
  expectNoSecret(JSON.stringify(staged));
  expect(server.seen).toEqual([{ path: '/private.tgz?token=tok-123456&X-Amz-Signature=sig-abcdef', authorization: BASIC }]);
});

it('sends user:password only to the origin it was typed for, not to a redirect to another port of the same host', async () => {
  const body = readFileSync(packPlugin(root, 'moved'));
  const other = await started(serve((_request, response) => response.end(body)));
  const server = await started(
    serve((request, response) => {
      if (request.url === '/start.tgz') return void response.writeHead(302, { location: '/same-origin.tgz' }).end();
      response.writeHead(302, { location: `${other.url}/moved.tgz` }).end();
    }),
  );
  const port = new URL(server.url).port;
  await stageSource(`http://deploy:pa55-w0rd@127.0.0.1:${port}/start.tgz`, options());
  expect(server.seen).toEqual([
    { path: '/start.tgz', authorization: BASIC },
    { path: '/same-origin.tgz', authorization: BASIC },
  ]);
  expect(other.seen).toEqual([{ path: '/moved.tgz' }]);
});

it('never quotes the credentials or the query in a refusal', async () => {
  const body = readFileSync(packPlugin(root, 'any'));
  const server = await started(
    serve((request, response) => (request.url?.startsWith('/ok.tgz') === true ? response.end(body) : response.writeHead(404).end())),
  );
  const port = new URL(server.url).port;
  const typed = (path: string, host = `127.0.0.1:${port}`) =>
    `http://deploy:pa55-w0rd@${host}${path}?token=tok-123456&X-Amz-Signature=sig-abcdef`;
  const messages: string[] = [];
  for (const [request, extra] of [
    [typed('/missing.tgz'), {}],
    [typed('/ok.tgz'), { integrity: `sha512-${Buffer.alloc(64).toString('base64')}` }],
    [typed('/gone.tgz', '127.0.0.1:9'), {}],
    [typed('/plain.tgz', 'example.com'), {}],
  ] as const) {
    const error = await stageSource(request, options(extra)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RegistryError);
    messages.push((error as RegistryError).message);
  }
  expect(messages[0]).toBe(`http://127.0.0.1:${port}/missing.tgz answered 404`);
  expect(messages[1]).toContain(`http://127.0.0.1:${port}/ok.tgz does not match --integrity`);
  expect(messages[2]).toContain('cannot reach 127.0.0.1:9 (ECONNREFUSED) to download http://127.0.0.1:9/gone.tgz');
  expect(messages[3]).toContain('refusing http://example.com/plain.tgz: plugins are downloaded over https');
  for (const message of messages) expectNoSecret(message);
  expect(readdirSync(staging)).toEqual([]);
});

it('says to give the full URL again when the recorded one (without credentials) is refused', async () => {
  const server = await started(serve((_request, response) => response.writeHead(401).end()));
  await expect(stageSource(`${server.url}/private.tgz`, options())).rejects.toThrow(
    `${server.url}/private.tgz answered 401: if it needs credentials or a token, give ` +
      `the full URL to plugin install or plugin update (Marathon does not record them)`,
  );
});
