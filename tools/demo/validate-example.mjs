#!/usr/bin/env node
// The Quick start's first command (until the CLI lands): validates the example manifests with
// @marathon/manifest and prints what a host would learn from each. Give folders to check others.
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';
import { PERMISSION_DESCRIPTIONS } from '@marathon/plugin-api';
import { ManifestError, HOST_API_VERSION, apiIncompatibilityReason, readManifest } from '@marathon/manifest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const examples = join(root, 'packages', 'manifest', 'examples');
const given = process.argv.slice(2);
// By default: the seed's hello-world, which must pass, and a broken one, which must be refused.
const checks = given.length > 0
  ? given.map((dir) => ({ dir, expectValid: true }))
  : [
      { dir: join(examples, 'hello-world'), expectValid: true },
      { dir: join(examples, 'broken'), expectValid: false },
    ];

function show(manifest) {
  const rows = [
    ['Name', `${manifest.name} ${manifest.version}`],
    ['Description', manifest.description || '(none)'],
    ['Plugin API', `^${manifest.api_version}: ${apiIncompatibilityReason(manifest.api_version) ?? `compatible with this Marathon (${HOST_API_VERSION})`}`],
    ['Permissions', manifest.permissions.map((p) => `${p} (${PERMISSION_DESCRIPTIONS[p]})`).join(', ') || '(none)'],
    ['Hooks', manifest.hooks.map((h) => `${h.name} (priority ${h.priority})`).join(', ') || '(none)'],
    ['Commands', manifest.commands.map((c) => (c.usage ? `${c.name} ${c.usage}` : c.name)).join(', ') || '(none)'],
    ['Main', manifest.main],
  ];
  for (const [label, value] of rows) console.log(`  ${label.padEnd(12)} ${value}`);
}

let failed = false;
for (const { dir, expectValid } of checks) {
  const file = relative(process.cwd(), join(dir, 'plugin.json')) || 'plugin.json';
  try {
    const manifest = await readManifest(dir);
    console.log(`✅ ${file} is a valid plugin manifest`);
    show(manifest);
    if (!expectValid) failed = true;
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    console.log(`❌ ${file} was refused (${error.code}):`);
    console.log(error.message.replace(/^.*\n/, '').replace(/^/gm, error.code === 'MANIFEST_INVALID' ? '' : '  '));
    if (expectValid) failed = true;
  }
  console.log('');
}
process.exitCode = failed ? 1 : 0;
