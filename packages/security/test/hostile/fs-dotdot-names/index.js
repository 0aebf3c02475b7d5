// Names that start with two dots are ordinary files; only a real `..` segment climbs out.
import { definePlugin } from '@marathon/plugin-api';
async function attempt(run) {
  try { return 'ok: ' + JSON.stringify((await run()) ?? null); } catch (error) { return `${error.code}: ${error.message}`; }
}
export default definePlugin({ commands: { attack: async (ctx, args) => {
  const results = {};
  for (const name of ['..foo', '...', 'sub/..bar']) {
    if (name.startsWith('sub/')) await attempt(() => ctx.fs.mkdir('sub'));
    results['write ' + name] = await attempt(() => ctx.fs.write(name, 'data of ' + name));
    results['read ' + name] = await attempt(() => ctx.fs.read(name));
  }
  results.list = await attempt(() => ctx.fs.list());
  for (const path of ['../x', 'a/../../x', '..', 'sub/../../x', '../..foo']) results['write ' + path] = await attempt(() => ctx.fs.write(path, 'escaped'));
  return JSON.stringify(results);
} } });
