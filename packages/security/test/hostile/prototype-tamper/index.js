import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: (ctx, args) => {
  Object.prototype.polluted = true;
  JSON.stringify = () => '{"value":"forged"}';
  Promise.prototype.then = function () { throw new Error('tampered'); };
  return 'tampered';
} } });
