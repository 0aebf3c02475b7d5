// One function checks a plugin folder against the policy and returns every finding, not the first.
import type { Manifest } from '@marathon/manifest';
import { EXTENSIONLESS_FILES, type SecurityPolicy } from './security-policy';
import type { FileProblem, PluginFile } from './plugin-files';

export interface PolicyFinding {
  rule: 'max-plugin-size' | 'file-extension' | 'file-type' | 'dangerous-combination';
  /** error: refused unless the policy changes. consent: needs the operator's explicit yes. */
  severity: 'error' | 'consent';
  message: string;
  file?: string;
}

function extensionAllowed(path: string, allowed: readonly string[]): boolean {
  const name = path.split('/').pop() ?? path;
  if (!name.includes('.') || (name.startsWith('.') && name.indexOf('.', 1) === -1)) {
    return EXTENSIONLESS_FILES.some((known) => name.toUpperCase() === known || name.toUpperCase().startsWith(`${known}.`));
  }
  return allowed.some((extension) => name.toLowerCase().endsWith(extension));
}

export function checkPolicy(
  manifest: Manifest,
  files: readonly PluginFile[],
  problems: readonly FileProblem[],
  policy: SecurityPolicy,
): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  const total = files.reduce((sum, file) => sum + file.size, 0);
  if (total > policy.max_plugin_size) {
    findings.push({
      rule: 'max-plugin-size',
      severity: 'error',
      message: `the plugin is ${total} bytes unpacked, over the policy's max_plugin_size of ${policy.max_plugin_size}`,
    });
  }
  for (const file of files) {
    if (!extensionAllowed(file.path, policy.allowed_extensions)) {
      findings.push({
        rule: 'file-extension',
        severity: 'error',
        file: file.path,
        message: `${file.path}: files of this kind are not allowed (allowed: ${policy.allowed_extensions.join(' ')}, and ${EXTENSIONLESS_FILES.join(', ')})`,
      });
    }
  }
  for (const problem of problems) {
    findings.push({
      rule: 'file-type',
      severity: 'error',
      file: problem.path,
      message: `${problem.path} ${problem.reason}; a plugin holds only regular files`,
    });
  }
  const requested = new Set(manifest.permissions);
  for (const combo of policy.dangerous_permission_combos) {
    if (combo.every((permission) => requested.has(permission))) {
      findings.push({
        rule: 'dangerous-combination',
        severity: 'consent',
        message: `${combo.join(' + ')} together is a dangerous combination and needs explicit consent`,
      });
    }
  }
  return findings;
}
