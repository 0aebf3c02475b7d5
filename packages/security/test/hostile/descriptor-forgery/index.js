import { definePlugin } from '@marathon/plugin-api';
// Planted before register() runs: the old descriptor was JSON.stringify({ hooks, commands }).
Object.getPrototypeOf({}).toJSON = () => ({ hooks: 5, commands: null });
Array.prototype.toJSON = () => 'not a list';
export default definePlugin({ commands: { attack: () => 'still here' } });
