// Issue 16: npm's configuration is read the way npm reads it — the global npmrc and npm_config_*
// variables included — with npm's precedence: environment > project (opted in) > user > global >
// the public registry; MARATHON_REGISTRY and --registry above all of them.
import { dirname, join } from 'node:path';
import { PUBLIC_REGISTRY, readNpmConfig } from '../src/npm-config';
import { useNpmrcFolders } from './npmrc-folders';

const rc = useNpmrcFolders('issue16-npmrc-');
const { write, read } = rc;

describe('the global npmrc', () => {
  test('is $PREFIX/etc/npmrc, read below the user file, `${VAR}` expanded, proxies and TLS allowed', () => {
    write(rc.globalRc, [
      'registry=https://global.example/',
      '@acme:registry=https://acme-global.example/',
      '//global.example/:_authToken=${FLEET_TOKEN}',
      'https-proxy=http://corp-proxy:3128/',
      'strict-ssl=false',
      'script-shell=/tmp/evil.sh',
    ]);
    const settings = read({ FLEET_TOKEN: 'global-tok' });
    expect(settings.files).toEqual([rc.globalRc]);
    expect(settings.registry).toBe('https://global.example/');
    expect(settings.options).toMatchObject({
      '@acme:registry': 'https://acme-global.example/',
      '//global.example/:_authToken': 'global-tok',
      strictSSL: false,
    });
    expect(settings.proxy).toMatchObject({ https: 'http://corp-proxy:3128/' });
    expect(settings.ignored).toEqual([`${rc.globalRc}: script-shell`]);
    expect(settings.secrets).toContain('global-tok');

    write(join(rc.home, '.npmrc'), ['registry=https://user.example/']);
    const layered = read();
    expect(layered.files).toEqual([rc.globalRc, join(rc.home, '.npmrc')]);
    expect(layered.registry).toBe('https://user.example/');
    // What the user file does not set still comes from the global one.
    expect(layered.options['@acme:registry']).toBe('https://acme-global.example/');
  });

  test('npm_config_globalconfig names it (any case), and a user file may move it as in npm', () => {
    const elsewhere = join(rc.root, 'fleet-global-npmrc');
    write(elsewhere, ['registry=https://fleet.example/']);
    expect(read({ npm_config_globalconfig: elsewhere }).registry).toBe('https://fleet.example/');
    expect(read({ NPM_CONFIG_GLOBALCONFIG: elsewhere }).registry).toBe('https://fleet.example/');
    write(join(rc.home, '.npmrc'), [`globalconfig=${elsewhere}`]);
    const moved = read();
    expect(moved.registry).toBe('https://fleet.example/');
    // The location key itself is used, not reported as ignored.
    expect(moved.ignored).toEqual([]);
  });

  test('without npm_config_prefix, PREFIX names the prefix; otherwise node’s install folder does', () => {
    write(rc.globalRc, ['registry=https://prefix.example/']);
    expect(readNpmConfig({ cwd: rc.project, env: { HOME: rc.home, PREFIX: join(rc.root, 'prefix') } }).registry).toBe(
      'https://prefix.example/',
    );
    const fallback = readNpmConfig({ cwd: rc.project, env: { HOME: rc.home } });
    const nodePrefix = process.platform === 'win32' ? dirname(process.execPath) : dirname(dirname(process.execPath));
    expect(
      fallback.files.filter((file) => file !== join(rc.home, '.npmrc')).every((file) => file === join(nodePrefix, 'etc', 'npmrc')),
    ).toBe(true);
  });
});

describe('npm_config_* variables', () => {
  test('set any allowed key, above every file, with npm’s spelling rules', () => {
    write(rc.globalRc, ['registry=https://global.example/', 'strict-ssl=true']);
    write(join(rc.home, '.npmrc'), ['registry=https://user.example/', 'https-proxy=http://user-proxy:3128/']);
    const settings = read({
      npm_config_registry: 'https://env.example',
      npm_config_https_proxy: 'http://env-proxy:3128/',
      NPM_CONFIG_STRICT_SSL: 'false',
      'npm_config_@acme:registry': 'https://acme-env.example',
      'npm_config_//env.example/:_authToken': 'env-tok',
      npm_config_noproxy: 'internal.example',
      // npm exports these to the scripts it runs: not Marathon's, and not listed.
      npm_config_user_agent: 'npm/11',
      npm_config_script_shell: '/tmp/evil.sh',
    });
    expect(settings.registry).toBe('https://env.example/');
    expect(settings.options).toEqual({
      registry: 'https://env.example/',
      '@acme:registry': 'https://acme-env.example/',
      '//env.example/:_authToken': 'env-tok',
      strictSSL: false,
    });
    expect(settings.proxy).toEqual({ https: 'http://env-proxy:3128/', http: 'http://env-proxy:3128/', noProxy: 'internal.example' });
    expect(settings.ignored).toEqual([]);
    expect(settings.secrets).toContain('env-tok');
  });

  test('the lower-case npm_config_ spelling wins over another', () => {
    expect(read({ NPM_CONFIG_REGISTRY: 'https://upper.example/', npm_config_registry: 'https://lower.example/' }).registry).toBe(
      'https://lower.example/',
    );
  });

  test('npm_config_userconfig names the user file', () => {
    const fleet = join(rc.root, 'fleet.npmrc');
    write(fleet, ['registry=https://fleet-user.example/']);
    expect(read({ npm_config_userconfig: fleet }).files).toEqual([fleet]);
  });
});

describe('precedence, lowest to highest', () => {
  test('public registry < global < user < project (opted in) < npm_config_* < MARATHON_REGISTRY < --registry', () => {
    expect(read().registry).toBe(PUBLIC_REGISTRY);
    write(rc.globalRc, ['registry=https://global.example/']);
    expect(read().registry).toBe('https://global.example/');
    write(join(rc.home, '.npmrc'), ['registry=https://user.example/']);
    expect(read().registry).toBe('https://user.example/');
    write(join(rc.project, '.npmrc'), ['registry=https://project.example/']);
    expect(read().registry).toBe('https://user.example/');
    expect(read({ MARATHON_PROJECT_NPMRC: '1' }).registry).toBe('https://project.example/');
    expect(read({ MARATHON_PROJECT_NPMRC: '1', npm_config_registry: 'https://env.example/' }).registry).toBe('https://env.example/');
    expect(
      read({ MARATHON_PROJECT_NPMRC: '1', npm_config_registry: 'https://env.example/', MARATHON_REGISTRY: 'https://marathon.example/' })
        .registry,
    ).toBe('https://marathon.example/');
    expect(
      read({ npm_config_registry: 'https://env.example/', MARATHON_REGISTRY: 'https://marathon.example/' }, 'https://flag.example')
        .registry,
    ).toBe('https://flag.example/');
  });

  test('a project file still may not set proxies or TLS over the global file', () => {
    write(rc.globalRc, ['https-proxy=http://corp-proxy:3128/']);
    write(join(rc.project, '.npmrc'), ['https-proxy=http://attacker.example:8080/', 'strict-ssl=false']);
    const settings = read({ MARATHON_PROJECT_NPMRC: '1' });
    expect(settings.proxy.https).toBe('http://corp-proxy:3128/');
    expect(settings.options.strictSSL).toBeUndefined();
  });
});
