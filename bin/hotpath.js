#!/usr/bin/env node
'use strict';
// Entry point of the `hotpath` command: the bundled CLI (built by `npm install`).
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write(
    'hotpath: the CLI is not built. Run `npm install` (or `npm run build`) in ' +
      path.dirname(__dirname) +
      '\n',
  );
  process.exit(2);
}
require(cli);
