// The way into MARATHON_HOME for any copy (install, update, repair): stage the request into
// MARATHON_HOME/staging, run the trust gate on the staged copy and ask for consent. What is
// inspected is exactly what is then renamed in (copy-placement.ts).
import { rm } from 'node:fs/promises';
import { sep } from 'node:path';
import type { Manifest } from '@marathon/manifest';
import { discover, RegistryError, stageSource, type InstalledPlugin, type SearchPath, type StagedSource } from '@marathon/registry';
import {
  inspectPlugin,
  loadPolicy,
  loadTrustedKeys,
  TrustError,
  type SecurityPolicy,
  type SignatureStatus,
} from '@marathon/security/trust';
import { ask, needsConsent, permissionChanges, updateNeedsConsent, updateSummary } from './consent-rules';
import { ManagerError } from './errors';
import { gateSource } from './gate-source';
import type { InstallerContext, InstallOptions } from './install-contract';
import { consentToTrustChange, trustChange, type RecordedSource } from './trust-change';

/** A staged source, with the folder a search-path name was found in (recorded, so updates come from there only). */
export type Staged = StagedSource & { location?: string };

/** A staged copy the gate let through, with what it said. */
export interface Admitted {
  staged: Staged;
  manifest: Manifest;
  signature: SignatureStatus;
  warnings: string[];
}

/**
 * Findings name files in the staging copy, a folder the operator never sees and that is gone by
 * the time they read the message: name the source they asked for instead.
 */
function relabel(error: unknown, stagedDir: string, request: string): unknown {
  if (error instanceof Error && error.message.includes(stagedDir)) {
    error.message = `${request}: ${error.message.split(`${stagedDir}${sep}`).join('').split(stagedDir).join('.')}`;
  }
  return error;
}

/** What the state records of where a staged copy came from. */
export function recordedSource(staged: Staged): RecordedSource {
  return {
    kind: staged.kind,
    spec: staged.spec,
    ...(staged.integrity === undefined ? {} : { integrity: staged.integrity }),
    ...(staged.location === undefined ? {} : { location: staged.location }),
  };
}

async function stage(
  context: InstallerContext,
  request: string,
  policy: SecurityPolicy,
  options: InstallOptions,
  at?: string,
): Promise<Staged> {
  try {
    return await stageRequest(context, request, policy, options, at);
  } catch (error) {
    if (error instanceof RegistryError && error.code === 'SOURCE_NOT_FOUND') throw new ManagerError('NOT_FOUND', error.message);
    if (error instanceof TrustError && error.code === 'ARCHIVE_REFUSED')
      throw new ManagerError('TRUST_REFUSED', `'${request}' was refused: ${error.message}`);
    throw error;
  }
}

/**
 * A name found in the search paths is resolved here, once, so that the folder it was found in is
 * known and recorded (`at`: the folder an update of a search-path install is pinned to).
 */
async function stageRequest(
  context: InstallerContext,
  request: string,
  policy: SecurityPolicy,
  options: InstallOptions,
  at?: string,
): Promise<Staged> {
  const paths = context.paths();
  const found = at ?? (await discover(paths)).plugins.find((plugin) => plugin.name === request)?.dir;
  if (found === undefined) return stageFrom(context, request, paths, policy, options);
  const staged = await stageFrom(context, found, paths, policy, options);
  return { ...staged, kind: 'search-path', spec: request, location: found };
}

function stageFrom(
  context: InstallerContext,
  request: string,
  paths: readonly SearchPath[],
  policy: SecurityPolicy,
  options: InstallOptions,
): Promise<StagedSource> {
  return stageSource(request, {
    paths,
    stagingDir: context.home.stagingDir,
    cwd: context.cwd,
    maxBytes: policy.max_plugin_size,
    maxEntries: policy.max_archive_entries,
    ...(options.integrity === undefined ? {} : { integrity: options.integrity }),
    ...(context.npm === undefined ? {} : { npm: context.npm }),
    ...(options.proxy === undefined ? {} : { download: { proxy: options.proxy } }),
  });
}

/**
 * Stages and inspects a request; refuses it with every finding when the gate says no. For an
 * update (`previous`), consent is asked again only when the new version wants more than the
 * operator granted — and then the summary shows what changed.
 */
export async function admit(
  context: InstallerContext,
  request: string,
  options: InstallOptions,
  previous?: InstalledPlugin,
  at?: string,
): Promise<Admitted> {
  const policy = await loadPolicy(context.home.root);
  const { keys, problems } = await loadTrustedKeys(context.home.keysDir);
  const staged = await stage(context, request, policy, options, at);
  try {
    const inspection = await inspectPlugin(staged.dir, {
      policy,
      trustedKeys: keys,
      source: gateSource(staged.kind),
      force: options.force === true,
    });
    const { manifest, decision } = inspection;
    if (context.reservedNames?.includes(manifest.name) === true) {
      throw new ManagerError(
        'NAME_RESERVED',
        `plugin '${manifest.name}' cannot be installed: '${manifest.name}' names one of this host's own commands; rename the plugin`,
      );
    }
    if (!decision.allowed) {
      throw new ManagerError('TRUST_REFUSED', `plugin '${manifest.name}' was refused:`, [
        ...decision.refusals,
        ...decision.warnings.map((warning) => `(warning) ${warning}`),
      ]);
    }
    if (inspection.apiIncompatible !== undefined) throw new ManagerError('API_INCOMPATIBLE', inspection.apiIncompatible);
    const warnings = [...problems, ...decision.warnings];
    if (warnings.length > 0) options.onWarnings?.(manifest.name, warnings);
    if (previous === undefined) {
      if (needsConsent(manifest) || decision.needsConsent.length > 0) await ask(inspection.consent, options, manifest.name);
    } else {
      // Where it comes from and who vouches for it first: permissions granted to a copy from
      // somewhere else would be granted to someone else.
      await consentToTrustChange(
        manifest.name,
        trustChange(previous, { source: recordedSource(staged), signature: inspection.signature.status }),
        options,
      );
      const changes = permissionChanges(previous.manifest, previous.granted_permissions, manifest);
      if (updateNeedsConsent(changes)) {
        await ask(updateSummary(inspection.consent, previous, manifest, changes), options, manifest.name, 'updated');
      }
    }
    return { staged, manifest, signature: inspection.signature.status, warnings };
  } catch (error) {
    await rm(staged.stagingRoot, { recursive: true, force: true });
    // The recorded spec: a URL without its credentials and query.
    throw relabel(error, staged.dir, staged.spec);
  }
}
