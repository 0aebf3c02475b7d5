import { join } from 'node:path';

/** The folder holding the example plugins, one per child folder: a Marathon search path. */
export const pluginsDir: string = join(__dirname, '..', 'plugins');
