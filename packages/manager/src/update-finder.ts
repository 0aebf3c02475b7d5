// Which version a plugin updates to. From npm: the newest published version that is not
// deprecated or a prerelease, runs on this host's plugin API, and still satisfies the range of
// every installed plugin that depends on it. From a folder, or from the search-path folder the
// plugin was installed from: the version found there, when it is newer — never a copy of the same
// name found in another search path since. An archive or URL source is fixed: updating it needs a
// new source.
import { isApiCompatible, readManifest } from '@marathon/manifest';
import { discover, type InstalledPlugin, type NpmClient, type SearchPath } from '@marathon/registry';
import semver from 'semver';
import { ManagerError } from './errors';
import { locationOf } from './trust-change';

export interface AvailableUpdate {
  name: string;
  current: string;
  /** The version to update to; absent when there is none. */
  version?: string;
  /** The install request that fetches it. */
  request?: string;
  /** Why there is none, or where the update comes from: for people. */
  reason: string;
}

export interface UpdateSources {
  npm?: NpmClient;
  paths: readonly SearchPath[];
}

export async function findUpdate(
  record: InstalledPlugin,
  installed: Readonly<Record<string, InstalledPlugin>>,
  sources: UpdateSources,
): Promise<AvailableUpdate> {
  const base = { name: record.name, current: record.version };
  const newer = (version: string | undefined) =>
    version !== undefined && semver.valid(version) !== null && semver.gt(version, record.version);
  switch (record.source.kind) {
    case 'npm': {
      if (sources.npm?.versions === undefined)
        throw new ManagerError('NOT_FOUND', `plugin '${record.name}' comes from npm, and no npm registry client is configured`);
      const ranges = Object.values(installed)
        .filter((plugin) => Object.hasOwn(plugin.manifest.dependencies, record.name))
        .map((plugin) => ({ plugin: plugin.name, range: plugin.manifest.dependencies[record.name]! }));
      const published = (await sources.npm.versions(record.name)).filter(
        (entry) => newer(entry.version) && entry.deprecated === undefined && semver.prerelease(entry.version) === null,
      );
      const held: string[] = [];
      for (const entry of published) {
        if (entry.marathon !== undefined && !isApiCompatible(entry.marathon.api_version)) {
          held.push(`${entry.version} needs plugin API ^${entry.marathon.api_version}`);
          continue;
        }
        const broken = ranges.find(({ range }) => !semver.satisfies(entry.version, range));
        if (broken !== undefined) {
          held.push(`${entry.version} would break '${broken.plugin}', which needs ${broken.range}`);
          continue;
        }
        return { ...base, version: entry.version, request: `npm:${record.name}@${entry.version}`, reason: `from the npm registry` };
      }
      return { ...base, reason: held.length === 0 ? 'up to date' : `up to date for this host (${held.join('; ')})` };
    }
    case 'search-path': {
      const location = locationOf(record.source);
      if (location !== undefined) {
        const manifest = await readManifest(location).catch(() => undefined);
        if (manifest?.name !== record.name)
          return { ...base, reason: `the folder it was installed from, ${location}, is gone or no longer holds it` };
        return newer(manifest.version)
          ? { ...base, version: manifest.version, request: record.name, reason: `from ${location}` }
          : { ...base, reason: 'up to date' };
      }
      // Installed before the folder was recorded: the update names where it is found now, and
      // the installer asks before taking it from there.
      const found = (await discover(sources.paths)).plugins.find((plugin) => plugin.name === record.name);
      if (found === undefined) return { ...base, reason: 'no longer in the search paths' };
      return newer(found.version)
        ? { ...base, version: found.version, request: found.name, reason: `from ${found.dir}` }
        : { ...base, reason: 'up to date' };
    }
    case 'folder': {
      const manifest = await readManifest(record.source.spec).catch(() => undefined);
      if (manifest === undefined) return { ...base, reason: `its folder ${record.source.spec} is gone or no longer a plugin` };
      return newer(manifest.version)
        ? { ...base, version: manifest.version, request: record.source.spec, reason: `from ${record.source.spec}` }
        : { ...base, reason: 'up to date' };
    }
    default:
      return {
        ...base,
        reason: `installed from a fixed ${record.source.kind === 'url' ? 'URL' : 'archive'}: give the new one, marathon plugin update ${record.name} <source>`,
      };
  }
}
