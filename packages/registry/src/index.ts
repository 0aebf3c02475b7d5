export {
  marathonHome,
  homeEntryOwner,
  installFolderName,
  installFolderProblem,
  ownedFolders,
  stagingOwner,
  stagingPrefix,
} from './marathon-home';
export { secureHome } from './home-guard';
export { ownStagingPrefix, processRuns, processStartTime } from './process-start';
export { removeInHome, moveInHome } from './safe-remove';
export { pluginTableProblems, recordProblems } from './state-shape';
export type { HomeEntry, MarathonHome } from './marathon-home';
export { projectPluginsFromEnv, searchPaths } from './search-paths';
export type { SearchPath, SearchPathKind, SearchPathOptions } from './search-paths';
export { discover } from './discovery';
export type { Discovery, DiscoveredPlugin, DiscoveryConflict, DiscoveryError } from './discovery';
export { StateStore, lockTimeoutFromEnv, nameTable, ownEntry } from './state-store';
export {
  authorityProblems,
  operatorTableProblems,
  type OperatorAuthority,
  type OperatorSettings,
  type StoredSettingValue,
} from './operator-settings';
export { acquireFileLock, withFileLock } from './file-lock';
export type { FileLockOptions } from './file-lock';
export type { InstalledPlugin, InstalledState, PluginStatus, SourceKind, StateLease, StateStoreOptions } from './state-store';
export { stageSource } from './install-source';
export { publicUrl } from './source-spec';
export type { NpmClient, StageOptions, StagedSource } from './install-source';
export { writeFileAtomic, fsyncFolder } from './atomic-file';
export { RegistryError } from './errors';
export type { RegistryErrorCode } from './errors';
export { NpmRegistryClient } from './npm-registry-client';
export type { NpmRegistryClientOptions, ResolvedPackage, PackageVersion, SearchResult } from './npm-registry-client';
export { readNpmConfig, readProxySettings, registryFor, redact, PUBLIC_REGISTRY } from './npm-config';
export type { NpmConfigInput, NpmSettings, ProxySettings } from './npm-config';
export { pluginPackageJson, checkPackageBinding, PLUGIN_KEYWORD } from './plugin-package';
export type { PluginPackageJson, PackageMarathonField } from './plugin-package';
