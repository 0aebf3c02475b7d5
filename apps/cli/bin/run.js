#!/usr/bin/env node
// The marathon binary. Auto-transpile is off: oclif would otherwise look for TypeScript sources of
// linked plugins at every start (~450 ms); the workspace always runs the built dist/.
const oclif = require('@oclif/core');

oclif.settings.enableAutoTranspile = false;
oclif.execute({ dir: __dirname });
