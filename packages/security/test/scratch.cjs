const { SandboxHost } = require('../dist/index.js');
const { readManifest } = require('@marathon/manifest');
const os = require('os'); const path = require('path'); const fs = require('fs');
(async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mh-'));
  const host = new SandboxHost({ policy: { limits: { call_deadline_ms: 400 } } });
  const load = async (dir) => host.load({ dir, manifest: await readManifest(dir), dataDir: path.join(home, 'data', path.basename(dir)), storageFile: path.join(home, 'storage', path.basename(dir) + '.json') });
  const hello = await load(path.join(__dirname, 'fixtures/plugins/hello'));
  for (const name of process.argv.slice(2)) {
    const p = await load(path.join(__dirname, 'hostile', name));
    const t = performance.now();
    const r = await p.runCommand('attack', []);
    console.log(name, (performance.now() - t).toFixed(0) + 'ms', r.ok ? r : { code: r.error.code, message: r.error.message });
    console.log('  hello after:', await hello.runCommand('hello', []));
  }
  await host.close();
})().catch(e => { console.error('FAIL', e); process.exit(1); });
