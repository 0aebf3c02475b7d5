// Issue 14 (7, registry side): the registry token followed a tarball redirect to another port of the
// same host (make-fetch-happen drops it only when the host name changes), and a registry URL's
// user:password was printed in errors, `--json` and `plugin search`. Now credentials go only to the
// exact origin they were configured for, and every message of the npm client is redacted.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTarball, pluginFiles, startFakeRegistry, startFakeServer, type FakeRegistry, type FakeServer } from './fake-registry';
import { workspace, type Outcome, type Workspace } from './marathon-binary';

const TOKEN = 'registry-token-redirect-3141';
const PASSWORD = 's3cr3t-url-pass-2718';

let registry: FakeRegistry;
let elsewhere: FakeServer;
let ws: Workspace;
let home: string;

beforeAll(async () => {
  registry = await startFakeRegistry();
  elsewhere = await startFakeServer();
  const tarball = makeTarball(pluginFiles('notes', '1.0.0'));
  const { tarballUrl } = registry.publish('notes', '1.0.0', tarball);
  // The registry's own tarball URL answers with a redirect to another port of the same host.
  registry.route(new URL(tarballUrl).pathname, (response) =>
    response.writeHead(302, { location: `${elsewhere.url}/notes-1.0.0.tgz` }).end(),
  );
  elsewhere.route('/notes-1.0.0.tgz', (response) => response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball));
  registry.route('/-/v1/search', (response) =>
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"objects":[],"total":0}'),
  );
});

afterAll(async () => {
  await registry?.stop();
  await elsewhere?.stop();
});

beforeEach(() => {
  ws = workspace();
  home = join(ws.root, 'operator-home');
  mkdirSync(home);
  registry.requests.length = 0;
  elsewhere.requests.length = 0;
});
afterEach(() => ws.cleanup());

const run = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> => ws.run(args, { env: { HOME: home, ...env } });

describe('credentials stay on their origin', () => {
  test('a tarball redirect to another port of the same host receives no token', async () => {
    writeFileSync(join(home, '.npmrc'), `registry=${registry.url}/\n//127.0.0.1:${registry.port}/:_authToken=${TOKEN}\n`);
    const outcome = await run(['plugin', 'install', 'notes@1.0.0', '--json']);
    expect(outcome.code).toBe(0);
    // The registry itself got the token (it is configured for it) …
    expect(registry.requests.find((request) => request.url === '/notes')?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    // … and the other port, reached by the redirect, did not.
    expect(elsewhere.requests.map((request) => request.url)).toEqual(['/notes-1.0.0.tgz']);
    expect(elsewhere.requests[0]!.headers.authorization).toBeUndefined();
  });
});

describe("a registry URL's user:password is never shown", () => {
  const withPassword = () => `http://ops:${PASSWORD}@127.0.0.1:${registry.port}/`;

  test('in an error, with and without --json', async () => {
    const text = await run(['plugin', 'install', 'no-such-plugin@1'], { MARATHON_REGISTRY: withPassword() });
    expect(text.code).toBe(1);
    expect(text.stderr).toContain(`no package 'no-such-plugin' in the registry http://***@127.0.0.1:${registry.port}/`);
    const json = await run(['plugin', 'install', 'no-such-plugin@1', '--json'], { MARATHON_REGISTRY: withPassword() });
    expect(json.code).toBe(1);
    for (const outcome of [text, json]) expect(`${outcome.stdout}${outcome.stderr}`).not.toContain(PASSWORD);
  });

  test('when the registry is down', async () => {
    const outcome = await run(['plugin', 'install', 'notes@1', '--json'], { MARATHON_REGISTRY: `http://ops:${PASSWORD}@127.0.0.1:9/` });
    expect(outcome.code).toBe(1);
    expect(JSON.parse(outcome.stdout).error.message).toContain('cannot reach the registry http://***@127.0.0.1:9/');
    expect(`${outcome.stdout}${outcome.stderr}`).not.toContain(PASSWORD);
  });

  test('in plugin search, text and --json', async () => {
    const text = await run(['plugin', 'search', 'nothing'], { MARATHON_REGISTRY: withPassword() });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`No Marathon plugins found in http://***@127.0.0.1:${registry.port}/ for 'nothing'.`);
    const json = await run(['plugin', 'search', '--json'], { MARATHON_REGISTRY: withPassword() });
    expect(JSON.parse(json.stdout).registry).toBe(`http://***@127.0.0.1:${registry.port}/`);
    for (const outcome of [text, json]) expect(`${outcome.stdout}${outcome.stderr}`).not.toContain(PASSWORD);
  });
});
