import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: (ctx, args) => {
  const found = [];
  for (const probe of [
    () => this.constructor.constructor('return process')(),
    () => ({}).constructor.constructor('return process')(),
    () => Function('return this')().process,
    () => (0, eval)('typeof require === "function" ? require : undefined'),
  ]) { try { found.push(typeof probe()); } catch (error) { found.push(error.name); } }
  return JSON.stringify(found);
} } });
