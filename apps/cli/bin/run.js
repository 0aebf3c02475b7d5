#!/usr/bin/env node
// The marathon binary.
// - Node 22+ keeps compiled code of our modules between runs (a no-op where unavailable).
// - Auto-transpile is off: oclif would otherwise look for TypeScript sources of linked plugins at
//   every start (~450 ms); the workspace always runs the built dist/.
// - The command cache (see @marathon/oclif-plugin's command-cache) keeps start-up fast with many
//   installed plugins; it is checked against state.json, and rebuilt, before oclif starts.
require('node:module').enableCompileCache?.();
const oclif = require('@oclif/core');
const { useCommandCache } = require('@marathon/oclif-plugin/command-cache');

oclif.settings.enableAutoTranspile = false;
useCommandCache('marathon').then(() => oclif.execute({ dir: __dirname }));
