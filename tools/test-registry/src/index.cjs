'use strict';
// A real npm registry for tests and benchmarks: Verdaccio, on 127.0.0.1 at a free port, with its
// storage in a temporary folder and no uplinks (nothing leaves the machine). Packages are
// published to it with the real `npm publish`. Everything is removed again by stop().
const { spawn, spawnSync } = require('node:child_process');
const { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

// Port 0 asks for any free port. A fixed port is checked first: another registry already on it
// would answer the ping below, and we would publish into it believing it ours.
function claimPort(port = 0) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} on 127.0.0.1 is in use (another registry?): stop it or choose another port`)
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url, child, output, deadline) {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited (${child.exitCode}):\n${output()}`);
    try {
      const response = await fetch(`${url}/-/ping`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`verdaccio did not start within the deadline:\n${output()}`);
}

/**
 * Starts Verdaccio. `private` scopes (e.g. ['@private']) need a logged-in user to read or publish.
 * @param {{ privateScopes?: string[], port?: number }} [options]
 */
async function startRegistry(options = {}) {
  const port = await claimPort(options.port);
  const root = mkdtempSync(join(tmpdir(), 'marathon-registry-'));
  const url = `http://127.0.0.1:${port}`;
  const scopes = (options.privateScopes ?? [])
    .map((scope) => `  '${scope}/*':\n    access: $authenticated\n    publish: $authenticated\n    unpublish: $authenticated\n`)
    .join('');
  writeFileSync(
    join(root, 'config.yaml'),
    [
      `storage: ${join(root, 'storage')}`,
      'uplinks: {}',
      'auth:',
      '  htpasswd:',
      `    file: ${join(root, 'htpasswd')}`,
      '    max_users: 100',
      'packages:',
      scopes.trimEnd(),
      "  '**':",
      '    access: $all',
      '    publish: $anonymous',
      '    unpublish: $anonymous',
      'max_body_size: 100mb',
      'log: { type: stdout, format: json, level: warn }',
      '',
    ]
      .filter((line) => line !== '')
      .join('\n'),
  );
  const bin = require.resolve('verdaccio/bin/verdaccio');
  const child = spawn(process.execPath, [bin, '--config', join(root, 'config.yaml'), '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  try {
    await waitUntilUp(url, child, () => log, Date.now() + 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  // npm publish wants a token line for the registry even when publishing anonymously.
  const anonymousConfig = join(root, 'anonymous.npmrc');
  writeFileSync(anonymousConfig, `registry=${url}/\n//127.0.0.1:${port}/:_authToken=anonymous\n`);
  // The environment every npm run against this registry gets: its own cache, no update check.
  const npmEnv = () => ({ ...process.env, npm_config_update_notifier: 'false', npm_config_cache: join(root, 'npm-cache') });
  // `what` is the package folder (or .tgz), or --workspaces to publish every workspace of the cwd.
  const publishCommand = (what, publishOptions) => {
    let userconfig = anonymousConfig;
    if (publishOptions.token !== undefined) {
      userconfig = join(root, `user-${Date.now()}-${Math.random().toString(36).slice(2)}.npmrc`);
      writeFileSync(userconfig, `registry=${url}/\n//127.0.0.1:${port}/:_authToken=${publishOptions.token}\n`);
    }
    // Flags on the command line win over a package's own publishConfig (a registry, a tag,
    // provenance), which packages copied from node_modules may carry.
    const tag = publishOptions.tag === undefined ? [] : ['--tag', publishOptions.tag];
    return {
      args: [
        'publish',
        what,
        '--registry',
        `${url}/`,
        '--userconfig',
        userconfig,
        '--ignore-scripts',
        '--provenance=false',
        ...tag,
        '--no-audit',
        '--no-fund',
      ],
      env: npmEnv(),
    };
  };

  return {
    url,
    root,
    userconfig: anonymousConfig,
    npmEnv,
    /** Publishes a package folder (or .tgz) with the real npm; `token` for private scopes. */
    publish(folder, publishOptions = {}) {
      const { args, env } = publishCommand(folder, publishOptions);
      const run = spawnSync('npm', args, { encoding: 'utf8', env });
      if (run.status !== 0) throw new Error(`npm publish ${folder} failed:\n${run.stdout}${run.stderr}`);
    },
    /**
     * Publishes several package folders (of different names) with one npm process: npm's start-up
     * is most of what publishing a small package costs. They are linked as the workspaces of a
     * throwaway root, and `npm publish --workspaces` publishes each.
     */
    publishMany(folders, publishOptions = {}) {
      const workspace = mkdtempSync(join(root, 'publish-'));
      try {
        mkdirSync(join(workspace, 'packages'));
        folders.forEach((folder, index) => symlinkSync(folder, join(workspace, 'packages', String(index)), 'dir'));
        writeFileSync(join(workspace, 'package.json'), JSON.stringify({ name: 'publish-many', private: true, workspaces: ['packages/*'] }));
        const { args, env } = publishCommand('--workspaces', publishOptions);
        const run = spawnSync('npm', args, { cwd: workspace, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
        if (run.status !== 0) throw new Error(`npm publish --workspaces (${folders.join(', ')}) failed:\n${run.stdout}${run.stderr}`);
      } finally {
        rmSync(workspace, { recursive: true, force: true });
      }
    },
    /** Creates a user and returns its auth token. */
    async addUser(name, password) {
      const response = await fetch(`${url}/-/user/org.couchdb.user:${encodeURIComponent(name)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, password, type: 'user', roles: [], date: new Date().toISOString() }),
      });
      const body = await response.json();
      if (!response.ok || typeof body.token !== 'string')
        throw new Error(`could not add user ${name}: ${response.status} ${JSON.stringify(body)}`);
      return body.token;
    },
    /** Stops Verdaccio and removes its storage. */
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(root, { recursive: true, force: true });
    },
    /** What Verdaccio logged (warnings and errors), for failing tests. */
    log: () => log,
  };
}

module.exports = { startRegistry };
