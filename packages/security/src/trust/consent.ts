// What an operator must accept before a plugin is installed, derived from its manifest alone (as
// Chrome derives an extension's permission prompt): each permission in words, with its scope, the
// dangerous combinations marked, and each allowed command that amounts to a shell said plainly.
import { PERMISSION_DESCRIPTIONS, type Permission } from '@marathon/plugin-api';
import { describeExecCommand, execArgumentPrefixes, execCommandName, type Manifest } from '@marathon/manifest';
import { shellReason } from '../capabilities/command-risks';
import { DEFAULT_DANGEROUS_COMBOS } from './security-policy';
import type { SignatureCheck } from './signatures';

export interface ConsentItem {
  permission: Permission;
  description: string;
  /** What exactly: hosts, variable names, commands. */
  scope: string[];
  /** Part of a dangerous combination this plugin requests. */
  dangerous: boolean;
}

/** An allowed command that lets the plugin run any program, and why. */
export interface ShellCommand {
  /** The exec.allowed_commands entry as the operator reads it: `git` or `git (only: status)`. */
  command: string;
  /** "unpinned: git can run any program through its config". */
  reason: string;
}

export interface ConsentSummary {
  plugin: string;
  items: ConsentItem[];
  /** The dangerous combinations the plugin requests, each needing explicit consent. */
  dangerousCombos: Permission[][];
  /** The allowed commands that amount to a shell (empty without the exec permission). */
  shellCommands: ShellCommand[];
  /** The signature status, when the summary was made from an inspected folder. */
  signature?: Pick<SignatureCheck, 'status' | 'message'>;
  /** The whole summary as lines for a terminal. */
  lines: string[];
}

/** What a permission reaches under `manifest`: its hosts, variable names or commands (as the consent summary words them). */
export function scopeOf(manifest: Manifest, permission: Permission): string[] {
  switch (permission) {
    case 'network':
      return [...(manifest.network?.allowed_hosts ?? [])];
    case 'env_vars':
      return [...(manifest.env_vars?.allowed ?? [])];
    case 'exec':
      return (manifest.exec?.allowed_commands ?? []).map(describeExecCommand);
    // filesystem: its description already says where (its own data folder), and nothing else is reachable.
    default:
      return [];
  }
}

/** The commands among exec.allowed_commands that amount to a shell, from the one table of command risks. */
function shellCommandsOf(manifest: Manifest): ShellCommand[] {
  if (!manifest.permissions.includes('exec')) return [];
  const canWriteFolder = manifest.permissions.includes('filesystem');
  return (manifest.exec?.allowed_commands ?? []).flatMap((entry) => {
    const reason = shellReason(execCommandName(entry), execArgumentPrefixes(entry), canWriteFolder);
    return reason === undefined ? [] : [{ command: describeExecCommand(entry), reason }];
  });
}

export function consentSummary(
  manifest: Manifest,
  dangerousCombos: readonly (readonly Permission[])[] = DEFAULT_DANGEROUS_COMBOS,
  signature?: Pick<SignatureCheck, 'status' | 'message'>,
): ConsentSummary {
  const requested = new Set(manifest.permissions);
  const combos = dangerousCombos.filter((combo) => combo.every((permission) => requested.has(permission))).map((combo) => [...combo]);
  const dangerous = new Set(combos.flat());
  const items = manifest.permissions.map((permission) => ({
    permission,
    description: PERMISSION_DESCRIPTIONS[permission],
    scope: scopeOf(manifest, permission),
    dangerous: dangerous.has(permission),
  }));
  const lines = [`${manifest.name} ${manifest.version} asks for:`];
  if (items.length === 0) lines.push('  no permissions');
  for (const item of items) {
    const scope = item.scope.length > 0 ? `: ${item.scope.join(', ')}` : '';
    lines.push(`  ${item.dangerous ? '⚠️ ' : '- '}${item.permission} — ${item.description}${scope}`);
  }
  const shellCommands = shellCommandsOf(manifest);
  for (const shell of shellCommands) lines.push(`  ⚠️  exec: ${shell.command} (${shell.reason} — this amounts to a shell)`);
  for (const combo of combos) lines.push(`  ⚠️  ${combo.join(' + ')} together is a dangerous combination: it needs your explicit consent`);
  // Who vouches for the code is part of what is accepted: an unsigned plugin says so in the prompt.
  if (signature !== undefined)
    lines.push(`  ${signature.status === 'valid' ? '- ' : '⚠️  '}signature ${signature.status}: ${signature.message}`);
  return {
    plugin: manifest.name,
    items,
    dangerousCombos: combos,
    shellCommands,
    ...(signature === undefined ? {} : { signature: { status: signature.status, message: signature.message } }),
    lines,
  };
}
