// Issue 14 (5): which .npmrc files are read, which of their keys reach pacote, and where `${VAR}`
// is expanded. (The CLI test issue-14-npmrc shows the attacker's registry and proxy hear nothing.)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useNpmrcFolders } from './npmrc-folders';

const rc = useNpmrcFolders('issue14-npmrc-');
const userRc = (text: string) => writeFileSync(join(rc.home, '.npmrc'), text);
const projectRc = (text: string) => writeFileSync(join(rc.project, '.npmrc'), text);
const read = (env: NodeJS.ProcessEnv = {}) => rc.read(env);

describe('a project .npmrc', () => {
  test('is not read unless MARATHON_PROJECT_NPMRC=1', () => {
    userRc('registry=https://user.example/\n');
    projectRc('registry=https://attacker.example/\n@acme:registry=https://attacker.example/\n');
    const settings = read();
    expect(settings.registry).toBe('https://user.example/');
    expect(settings.options['@acme:registry']).toBeUndefined();
    expect(settings.files).toEqual([join(rc.home, '.npmrc')]);
    const opted = read({ MARATHON_PROJECT_NPMRC: '1' });
    expect(opted.registry).toBe('https://attacker.example/');
    expect(opted.files).toEqual([join(rc.home, '.npmrc'), join(rc.project, '.npmrc')]);
    // Only "1" opts in.
    expect(read({ MARATHON_PROJECT_NPMRC: 'true' }).registry).toBe('https://user.example/');
  });

  test('never expands ${VAR}: a line using one is refused, and the value never appears', () => {
    projectRc('//attacker.example/:_authToken=${NPM_TOKEN}\n');
    expect(() => read({ MARATHON_PROJECT_NPMRC: '1', NPM_TOKEN: 'env-secret-1' })).toThrow(
      expect.objectContaining({ code: 'SETTING_INVALID', message: expect.not.stringContaining('env-secret-1') }),
    );
  });

  test('may not set proxies or TLS, even opted in; those keys are listed as ignored', () => {
    userRc('registry=https://user.example/\n');
    projectRc(
      'proxy=http://attacker.example:8080/\nhttps-proxy=http://attacker.example:8080/\nstrict-ssl=false\nca=ATTACKER-CA\nregistry=https://project.example/\n',
    );
    const settings = read({ MARATHON_PROJECT_NPMRC: '1' });
    expect(settings.proxy).toEqual({});
    expect(settings.options.strictSSL).toBeUndefined();
    expect(settings.options.ca).toBeUndefined();
    expect(settings.registry).toBe('https://project.example/');
    expect(settings.ignored).toEqual(['proxy', 'https-proxy', 'strict-ssl', 'ca'].map((key) => `${join(rc.project, '.npmrc')}: ${key}`));
  });
});

describe('the user .npmrc', () => {
  test('expands ${VAR} as npm does, and passes on only the allowed keys', () => {
    userRc(
      [
        'registry=https://npm.example/',
        '@acme:registry=https://acme.example/npm',
        '//npm.example/:_authToken=${FLEET_TOKEN}',
        '//acme.example/npm/:username=ops',
        '//acme.example/npm/:_password=cGFzcw==',
        'strict-ssl=false',
        'proxy=http://proxy.example:3128/',
        'noproxy=internal.example',
        'script-shell=/tmp/evil.sh',
        'git=/tmp/evil-git',
        'ignore-scripts=false',
        '_authToken=global-token',
      ].join('\n'),
    );
    const settings = read({ FLEET_TOKEN: 'tok-from-env' });
    expect(settings.options).toEqual({
      registry: 'https://npm.example/',
      '@acme:registry': 'https://acme.example/npm/',
      '//npm.example/:_authToken': 'tok-from-env',
      '//acme.example/npm/:username': 'ops',
      '//acme.example/npm/:_password': 'cGFzcw==',
      strictSSL: false,
    });
    expect(settings.proxy).toEqual({
      https: 'http://proxy.example:3128/',
      http: 'http://proxy.example:3128/',
      noProxy: 'internal.example',
    });
    expect(settings.ignored.map((entry) => entry.split(': ')[1])).toEqual(['script-shell', 'git', 'ignore-scripts', '_authToken']);
    expect(settings.secrets).toEqual(expect.arrayContaining(['tok-from-env', 'cGFzcw==', 'pass']));
  });

  test('proxies otherwise come from the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, any case)', () => {
    expect(read({ HTTPS_PROXY: 'http://corp:3128', no_proxy: 'localhost' }).proxy).toEqual({
      https: 'http://corp:3128',
      http: 'http://corp:3128',
      noProxy: 'localhost',
    });
    expect(read({ http_proxy: 'http://plain:3128' }).proxy).toEqual({ http: 'http://plain:3128' });
  });

  test('NPM_CONFIG_USERCONFIG names it; npm_config_registry and MARATHON_REGISTRY override it', () => {
    writeFileSync(join(rc.root, 'fleet.npmrc'), 'registry=https://fleet.example/\n');
    expect(read({ NPM_CONFIG_USERCONFIG: join(rc.root, 'fleet.npmrc') }).registry).toBe('https://fleet.example/');
    expect(read({ NPM_CONFIG_USERCONFIG: join(rc.root, 'fleet.npmrc'), npm_config_registry: 'https://env.example' }).registry).toBe(
      'https://env.example/',
    );
    expect(read({ npm_config_registry: 'https://env.example', MARATHON_REGISTRY: 'https://marathon.example' }).registry).toBe(
      'https://marathon.example/',
    );
  });

  test("a registry URL's password is a secret", () => {
    expect(read({ MARATHON_REGISTRY: 'https://ops:p%40ss-word@npm.example/' }).secrets).toEqual(
      expect.arrayContaining(['p%40ss-word', 'p@ss-word']),
    );
  });
});
