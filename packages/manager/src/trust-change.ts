// What an update may not change behind the operator's back: where a plugin comes from, and how
// well it is vouched for. `plugin update` follows a recorded source; a new version found somewhere
// else (another search path, another folder, another registry package) or signed less well
// (valid → untrusted → unsigned) is a different trust decision from "a newer version of what I
// installed", so it needs its own consent — a prompt on a terminal, or a flag naming exactly that.
// --yes accepts permissions only: it is what scripts pass, and scripts are where a planted copy
// would otherwise slip through unseen.
import type { InstalledPlugin, SourceKind } from '@marathon/registry';
import type { SignatureStatus } from '@marathon/security/trust';
import { ManagerError } from './errors';

/** A source as recorded in the state: for a search-path install, also the folder it was found in. */
export type RecordedSource = InstalledPlugin['source'];

export interface TrustChangeOptions {
  /** Accept an update whose source (kind or location) differs from the installed one's. */
  allowSourceChange?: boolean;
  /** Accept an update whose signature status is lower than the installed one's. */
  allowSignatureDowngrade?: boolean;
  /** Asks the operator about a source change or downgrade (the lines say what changes); resolve true to accept. */
  confirmTrustChange?: (lines: readonly string[]) => Promise<boolean>;
}

export interface TrustChange {
  source?: { from: string; to: string };
  signature?: { from: SignatureStatus; to: SignatureStatus };
}

// Higher vouches for more. invalid and modified never install, so they never appear here.
const RANK: Record<SignatureStatus, number> = { valid: 3, untrusted: 2, unsigned: 1, modified: 0, invalid: 0 };

export function locationOf(source: InstalledPlugin['source']): string | undefined {
  return source.location;
}

function npmPackage(spec: string): string {
  const at = spec.lastIndexOf('@');
  return at > 0 ? spec.slice(0, at) : spec;
}

/**
 * What identifies where updates come from. An archive is one version's file, so a new path is the
 * normal way to update it; a URL keeps its origin; the others are a place the plugin lives.
 */
function identity(source: RecordedSource): string | undefined {
  switch (source.kind) {
    case 'npm':
      return npmPackage(source.spec);
    case 'folder':
      return source.spec;
    case 'search-path':
      return source.location;
    case 'url':
      try {
        return new URL(source.spec).origin;
      } catch {
        return source.spec;
      }
    case 'tgz':
      return '';
  }
}

const KIND_WORDS: Record<SourceKind, string> = {
  'search-path': 'the search paths',
  folder: 'the folder',
  tgz: 'the archive',
  url: 'the URL',
  npm: 'the npm package',
};

export function describeSource(source: RecordedSource): string {
  switch (source.kind) {
    case 'search-path':
      return source.location === undefined
        ? `the search paths ('${source.spec}', folder not recorded)`
        : `the search paths, folder ${source.location}`;
    case 'npm':
      return `the npm package ${npmPackage(source.spec)}`;
    default:
      return `${KIND_WORDS[source.kind]} ${source.spec}`;
  }
}

export function trustChange(previous: InstalledPlugin, next: { source: RecordedSource; signature: SignatureStatus }): TrustChange {
  const before = previous.source as RecordedSource;
  const change: TrustChange = {};
  const from = identity(before);
  if (before.kind !== next.source.kind || from === undefined || from !== identity(next.source)) {
    change.source = { from: describeSource(before), to: describeSource(next.source) };
  }
  if (RANK[next.signature] < RANK[previous.signature]) change.signature = { from: previous.signature, to: next.signature };
  return change;
}

export function describeTrustChange(name: string, change: TrustChange): string[] {
  const lines = [`Updating '${name}' changes who vouches for it:`];
  if (change.source !== undefined) lines.push(`  ⚠️  source: ${change.source.from} → ${change.source.to}`);
  if (change.signature !== undefined) lines.push(`  ⚠️  signature: ${change.signature.from} → ${change.signature.to}`);
  return lines;
}

/**
 * Refuses an update that changes source or lowers the signature, unless the matching flag was
 * given or the operator says yes. --yes is deliberately not enough (see the top of this file).
 */
export async function consentToTrustChange(name: string, change: TrustChange, options: TrustChangeOptions): Promise<void> {
  const unaccepted: TrustChange = {
    ...(change.source !== undefined && options.allowSourceChange !== true ? { source: change.source } : {}),
    ...(change.signature !== undefined && options.allowSignatureDowngrade !== true ? { signature: change.signature } : {}),
  };
  if (unaccepted.source === undefined && unaccepted.signature === undefined) return;
  const lines = describeTrustChange(name, unaccepted);
  if (options.confirmTrustChange !== undefined && (await options.confirmTrustChange(lines))) return;
  const flags = [
    unaccepted.source === undefined ? '' : '--allow-source-change',
    unaccepted.signature === undefined ? '' : '--allow-signature-downgrade',
  ]
    .filter(Boolean)
    .join(' ');
  const why =
    options.confirmTrustChange === undefined
      ? `--yes does not cover this: run it on a terminal to be asked, or pass ${flags}`
      : 'consent was not given';
  const changes = [
    unaccepted.source === undefined ? '' : 'where it comes from',
    unaccepted.signature === undefined ? '' : 'its signature status',
  ]
    .filter(Boolean)
    .join(' and ');
  throw new ManagerError(
    'CONSENT_REQUIRED',
    `plugin '${name}' was not updated: the update would change ${changes} (${why})`,
    lines.slice(1).map((line) => line.trim()),
  );
}
