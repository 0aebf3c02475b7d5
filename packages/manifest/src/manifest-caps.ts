// How much one plugin.json may declare. Every command of every enabled plugin is registered with
// the CLI on each `marathon` call, so a plugin declaring thousands of them (9,000 made `--help`
// take 8 s) slows every call of every user; the caps keep a manifest to what a person can read.
import { HOOK_TYPES } from '@marathon/plugin-api';

/** Commands one plugin may declare. Related actions belong under one command with arguments. */
export const MAX_COMMANDS = 100;

/** Entries in `hooks`: each hook may be listed once, so never more than there are hooks. */
export const MAX_HOOK_ENTRIES = HOOK_TYPES.length;

/** Settings one plugin may declare in `configuration`: each is a line an operator reads in `marathon plugin config`. */
export const MAX_SETTINGS = 64;
