// What installing takes and gives back (the public install API's options and results) and what
// the install steps — admission, placement, repair — share of their host, kept apart so they
// import it without importing one another.
import type { Permission } from '@marathon/plugin-api';
import type { MarathonHome, NpmClient, ProxySettings, SearchPath, StateStore } from '@marathon/registry';
import type { ConsentSummary, SignatureStatus } from '@marathon/security/trust';
import type { TrustChangeOptions } from './trust-change';

export interface InstallOptions extends TrustChangeOptions {
  /** Accept the plugin's permissions (and dangerous combinations) without asking. */
  yes?: boolean;
  /** Asks the operator; resolve true to accept. Without it (and without yes), consent is refused. */
  confirm?: (summary: ConsentSummary) => Promise<boolean>;
  /** Install despite high-severity code-scanner findings. */
  force?: boolean;
  /** Expected SRI digest (sha512-…) of a tarball source. */
  integrity?: string;
  /**
   * The proxies a URL download goes through. Default: the ones npm would use, read at each
   * download (readProxySettings); a sync reads them once and passes them to each of its installs.
   */
  proxy?: ProxySettings;
  /** Install missing dependencies from the search paths (or npm) first. */
  withDependencies?: boolean;
  /**
   * Told what the trust gate warns about a plugin (unsigned, medium findings) once it is admitted
   * and before its consent is asked, so the operator reads them before answering. The result's
   * `warnings` carries them too.
   */
  onWarnings?: (plugin: string, warnings: readonly string[]) => void;
}

export interface InstallResult {
  name: string;
  version: string;
  signature: SignatureStatus;
  warnings: string[];
  /** Dependencies installed along with it. */
  dependencies: string[];
  /** The permissions granted. */
  permissions: Permission[];
  /** Each dependency installed along with it: what it was granted and how it is signed, for the operator to see. */
  dependency_details: InstalledDependency[];
}

export interface InstalledDependency {
  name: string;
  version: string;
  signature: SignatureStatus;
  permissions: Permission[];
  warnings: string[];
  /** The plugin that needed it. */
  needed_by: string;
}

export interface InstallerContext {
  home: MarathonHome;
  store: StateStore;
  paths: () => readonly SearchPath[];
  cwd: string;
  npm?: NpmClient;
  /** Plugin names the host keeps for itself (a CLI's own topics), refused at install. */
  reservedNames?: readonly string[];
}
