export interface PublishedPackage {
  name: string;
  version: string;
}

export interface LocalRegistry {
  /** http://127.0.0.1:<port>/ */
  url: string;
  /** The .npmrc line that sends the @marathon scope (only) to this registry. */
  scopeLine: string;
  /** The workspace's public packages, all on the registry. */
  published: PublishedPackage[];
  /** The third-party packages served from node_modules (serveFromNodeModules and what they need). */
  thirdParty: PublishedPackage[];
  /** What Verdaccio logged (warnings and errors). */
  log(): string;
  /** Stops the registry and removes everything published to it. */
  stop(): Promise<void>;
}

export type LocalRegistryErrorCode = 'NOT_BUILT' | 'PRIVATE_DEPENDENCY' | 'PUBLISH_FAILED' | 'NOT_INSTALLED';

/** The registry could not be set up; the message says what to do about it. */
export class LocalRegistryError extends Error {
  readonly code: LocalRegistryErrorCode;
}

/**
 * Starts Verdaccio on 127.0.0.1 (`port`, refused when in use; else any free port) and publishes every
 * public workspace package with `changeset publish`. `serveFromNodeModules` names third-party
 * packages to publish too, with everything they need, from this workspace's node_modules: for
 * installs on a machine without a network.
 */
export function startLocalRegistry(options?: { port?: number; serveFromNodeModules?: string[] }): Promise<LocalRegistry>;
