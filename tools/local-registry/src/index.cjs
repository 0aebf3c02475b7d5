'use strict';
// A local npm registry holding this workspace's public @marathon packages, published by the release
// flow (changesets): what plugin authors install from before the packages are on npmjs, and what
// the docs test installs from. Verdaccio on 127.0.0.1 with no uplink: a package it lacks is a 404,
// never a request to another registry.
const { startRegistry } = require('@marathon/test-registry');
const { publishFromNodeModules } = require('./node-modules-closure.cjs');
const { publishWorkspace } = require('./workspace-release.cjs');
const { LocalRegistryError } = require('./local-registry-error.cjs');

/**
 * @param {{ port?: number, serveFromNodeModules?: string[] }} [options]
 */
async function startLocalRegistry(options = {}) {
  const registry = await startRegistry(options.port === undefined ? {} : { port: options.port });
  try {
    const published = await publishWorkspace(registry);
    const thirdParty = publishFromNodeModules(registry, options.serveFromNodeModules ?? []);
    return {
      url: `${registry.url}/`,
      scopeLine: `@marathon:registry=${registry.url}/`,
      published,
      thirdParty,
      log: () => registry.log(),
      stop: () => registry.stop(),
    };
  } catch (error) {
    await registry.stop();
    throw error;
  }
}

module.exports = { startLocalRegistry, LocalRegistryError };
