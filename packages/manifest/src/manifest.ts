import type { HookType, Permission, ResourceLimits } from '@marathon/plugin-api';
import type { SettingDeclaration } from './setting-declaration';

export interface Author {
  readonly name: string;
  readonly email?: string;
  readonly url?: string;
}

export interface HookDeclaration {
  readonly name: HookType;
  /** Higher runs first; ties run in load order. */
  readonly priority: number;
}

export interface CommandDeclaration {
  readonly name: string;
  readonly description: string;
  readonly usage: string;
}

/** An exec.allowed_commands entry that may only run with arguments starting with one of `args`. */
export interface PinnedCommand {
  readonly command: string;
  /** Allowed argument prefixes, e.g. [['status'], ['log', '--oneline']]; never empty. */
  readonly args: readonly (readonly string[])[];
}

/** An exec.allowed_commands entry: a program that takes any arguments, or a pinned one. */
export type ExecCommand = string | PinnedCommand;

/**
 * A validated plugin.json, normalised: hooks and commands are always objects, every optional list
 * and map is present (but `configuration`, absent when empty), `main` is a clean relative path. Deeply frozen. exec.allowed_commands
 * entries keep the form they were written in (a name, or a pinned object), so a manifest stored
 * before pins existed reads the same; read them through execCommandName and execArgumentPrefixes.
 */
export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly author?: Author;
  readonly api_version: string;
  readonly main: string;
  readonly permissions: readonly Permission[];
  readonly hooks: readonly HookDeclaration[];
  readonly commands: readonly CommandDeclaration[];
  readonly dependencies: Readonly<Record<string, string>>;
  readonly network?: { readonly allowed_hosts: readonly string[] };
  readonly env_vars?: { readonly allowed: readonly string[] };
  readonly exec?: { readonly allowed_commands: readonly ExecCommand[] };
  readonly limits: Readonly<Partial<ResourceLimits>>;
  /** The settings an operator may give, by key; absent (never {}) when plugin.json declares none. */
  readonly configuration?: Readonly<Record<string, SettingDeclaration>>;
}
