import { API_VERSION } from '@marathon/plugin-api';
import semver from 'semver';
import { ApiIncompatibleError } from './errors';

/** The plugin API this host provides (that of the @marathon/plugin-api it is built with). */
export const HOST_API_VERSION: string = API_VERSION;

/** Whether a plugin written for `pluginApi` runs on a host providing `hostApi`: hostApi satisfies ^pluginApi. */
export function isApiCompatible(pluginApi: string, hostApi: string = HOST_API_VERSION): boolean {
  if (semver.valid(pluginApi) === null || semver.valid(hostApi) === null) return false;
  return semver.satisfies(hostApi, `^${pluginApi}`);
}

/** Why a plugin does not fit this host, and what to upgrade; undefined when it fits. */
export function apiIncompatibilityReason(pluginApi: string, hostApi: string = HOST_API_VERSION, plugin?: string): string | undefined {
  if (isApiCompatible(pluginApi, hostApi)) return undefined;
  const subject = plugin === undefined ? 'this plugin' : `plugin '${plugin}'`;
  if (semver.valid(pluginApi) === null) {
    return `${subject} declares api_version '${pluginApi}', which is not a semantic version: fix its plugin.json`;
  }
  const needs = `${subject} needs plugin API ^${pluginApi}, this Marathon provides ${hostApi}`;
  const forThisHost = `install a version of the plugin written for plugin API ${semver.major(hostApi)}.x`;
  if (semver.valid(hostApi) !== null && semver.gt(pluginApi, hostApi)) {
    const sameMajor = semver.major(pluginApi) === semver.major(hostApi);
    return `${needs}: upgrade Marathon to a release that provides plugin API ${pluginApi} or later${sameMajor ? '' : `, or ${forThisHost}`}`;
  }
  return `${needs}: ${forThisHost} (this one was written for an older API)`;
}

/** Throws ApiIncompatibleError with apiIncompatibilityReason's text when the plugin does not fit. */
export function assertApiCompatible(pluginApi: string, hostApi: string = HOST_API_VERSION, plugin?: string): void {
  const reason = apiIncompatibilityReason(pluginApi, hostApi, plugin);
  if (reason !== undefined) throw new ApiIncompatibleError(reason, plugin, pluginApi, hostApi);
}
