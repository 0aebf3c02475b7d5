// Indirect routes to the Function constructor and eval, which the install scanner must refuse like
// their direct forms; in the engine they find nothing of the host either way.
import { definePlugin } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: (ctx, args) => {
  const found = [];
  const g = globalThis;
  const key = ['ev', 'al'].join('');
  for (const probe of [
    () => (() => {}).constructor('return typeof process')(),
    () => (async () => {}).constructor('return typeof process')().constructor.name,
    () => Reflect.construct(Function, ['return typeof require'])(),
    () => Reflect.get(globalThis, 'eval')('typeof process'),
    () => g[key]('typeof require'),
  ]) { try { found.push(String(probe())); } catch (error) { found.push(error.name); } }
  return JSON.stringify(found);
} } });
