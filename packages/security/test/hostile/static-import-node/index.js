import fs from 'node:fs';
import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: () => typeof fs } });
