// Bundles the device agent (apps/agent) into one script, dist/agent/taskinbox-agent.js, that
// needs only Node.js 20+ on the device: what the installer and the container image ship.
const { buildSync } = require('esbuild');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const outfile = path.join(root, 'dist/agent/taskinbox-agent.js');
buildSync({
  entryPoints: [path.join(root, 'apps/agent/src/main.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile,
  tsconfig: path.join(root, 'tsconfig.base.json'),
  banner: { js: '#!/usr/bin/env node' },
  legalComments: 'none',
  logLevel: 'warning',
});
require('node:fs').chmodSync(outfile, 0o755);
// The installer and the unit beside it: the server serves all three at /api/devices/agent-files/.
for (const file of ['install.sh', 'taskinbox-agent.service'])
  require('node:fs').copyFileSync(path.join(root, 'apps/agent/deploy', file), path.join(root, 'dist/agent', file));
console.log(`built ${path.relative(root, outfile)}`);
