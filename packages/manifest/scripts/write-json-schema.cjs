#!/usr/bin/env node
// Writes plugin.schema.json next to package.json from the built package, so that a plugin.json's
// "$schema" can point at node_modules/@marathon/manifest/plugin.schema.json for editor completion.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { manifestJsonSchema } = require('../dist/index.js');

const target = path.join(__dirname, '..', 'plugin.schema.json');
fs.writeFileSync(target, `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`);
