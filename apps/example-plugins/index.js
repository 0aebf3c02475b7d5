'use strict';
// The folder holding the example plugins, one per child folder: a Marathon search path.
module.exports = { pluginsDir: __dirname };
