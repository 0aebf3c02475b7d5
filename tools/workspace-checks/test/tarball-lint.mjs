// Runs publint and arethetypeswrong on every tarball named on the command line, in one Node
// process: each tool loads once (attw loads TypeScript, seconds of CPU a start) instead of once
// per package. attw decides exactly as `attw <tarball> --profile node16 --ignore-rules
// cjs-resolves-to-esm` does: the CLI's own profile, exit-code and report functions, on the same
// analysis. Prints one JSON object: per tarball, publint's messages and attw's status and report.
//
// node16 profile: the packages need Node 20, so the node10 resolver (no exports map) is not theirs.
// cjs-resolves-to-esm: @marathon/plugin-api/runtime.mjs is an ES module by design (the sandbox's
// copy of the runtime); every other entry point is CommonJS and gets no such finding.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { getExitCode } from '@arethetypeswrong/cli/internal/getExitCode';
import { typed } from '@arethetypeswrong/cli/internal/render';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

// The profiles are not in the CLI's exports map: load its file, as the CLI itself does.
const attwDir = dirname(createRequire(import.meta.url).resolve('@arethetypeswrong/cli/package.json'));
const { applyProfile } = await import(pathToFileURL(join(attwDir, 'dist', 'profiles.js')).href);

/** The options the CLI's commander would hand its action for the flags above (its defaults included). */
function attwOptions() {
  const options = { format: 'ascii', ignoreRules: ['cjs-resolves-to-esm'], profile: 'node16', summary: true, emoji: true, color: false };
  applyProfile(options.profile, options);
  return options;
}

async function lintPublint(bytes) {
  const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const { messages, pkg } = await publint({ pack: { tarball }, level: 'warning', strict: true });
  return messages.map((message) => message.type + ': ' + formatMessage(message, pkg, { color: false }));
}

async function lintAttw(bytes) {
  const options = attwOptions();
  const analysis = await checkPackage(createPackageFromTarballData(new Uint8Array(bytes)));
  const status = getExitCode(analysis, options);
  return { status, report: status === 0 ? '' : await typed(analysis, options) };
}

const findings = {};
for (const tarball of process.argv.slice(2)) {
  const bytes = readFileSync(tarball);
  findings[tarball] = { publint: await lintPublint(bytes), attw: await lintAttw(bytes) };
}
console.log(JSON.stringify(findings));
