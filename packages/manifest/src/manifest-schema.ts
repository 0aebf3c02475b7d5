// The plugin.json schema in zod: structure and the format of each field, with the messages a plugin
// author sees. Rules that tie fields together (a permission and its scope block, repeats, limits
// against the host's policy) live in manifest-rules.ts, because zod skips refinements of objects
// that already have problems, and every problem must be listed at once.
import {
  AUTHOR_PRIORITY_RANGE,
  COMMAND_NAME_PATTERN,
  HOOK_DESCRIPTIONS,
  HOOK_TYPES,
  PERMISSIONS,
  PERMISSION_DESCRIPTIONS,
  type HookType,
  type Permission,
} from '@marathon/plugin-api';
import { z } from 'zod';
import { describeValue, quote } from './describe-value';
import { didYouMean } from './did-you-mean';
import {
  commandNameProblem,
  envNameProblem,
  execArgumentProblem,
  execCommandProblem,
  hostPatternProblem,
  mainProblem,
  packageNameProblem,
  rangeProblem,
  versionProblem,
} from './formats';
import { MAX_COMMANDS, MAX_HOOK_ENTRIES, MAX_SETTINGS } from './manifest-caps';
import { MAX_SETTING_DESCRIPTION_LENGTH, SETTING_KEY_PATTERN, SETTING_TYPES, type SettingType } from './setting-declaration';
import { settingPatternProblem } from './setting-pattern';

type Problem = (value: string) => string | undefined;

/** A string field whose format is checked by `problem`; the message is the problem itself. */
function formattedString(problem: Problem) {
  return z.string().superRefine((value, ctx) => {
    const message = problem(value);
    if (message !== undefined) ctx.addIssue({ code: 'custom', message });
  });
}

function oneOf<T extends string>(values: readonly T[], noun: string) {
  return z.enum(values as [T, ...T[]], {
    error: (issue) =>
      typeof issue.input === 'string'
        ? `unknown ${noun} ${quote(issue.input)}${didYouMean(issue.input, values)}; ${noun}s are ${values.join(', ')}`
        : `expected a ${noun} name, got ${describeValue(issue.input)}`,
  });
}

const permission = oneOf<Permission>(PERMISSIONS, 'permission').meta({
  description: PERMISSIONS.map((p) => `${p}: ${PERMISSION_DESCRIPTIONS[p]}`).join('\n'),
});
const hookName = oneOf<HookType>(HOOK_TYPES, 'hook').meta({
  description: HOOK_TYPES.map((h) => `${h}: ${HOOK_DESCRIPTIONS[h]}`).join('\n'),
});
const commandName = formattedString(commandNameProblem).meta({ pattern: COMMAND_NAME_PATTERN.source });

const NAME_PATTERN = '^(?:@[a-z0-9-*~][a-z0-9-*._~]*/)?[a-z0-9-~][a-z0-9-._~]*$';
const SEMVER_PATTERN = '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-[0-9A-Za-z-.]+)?(?:\\+[0-9A-Za-z-.]+)?$';

/** The length of a list a cap refused, for its message. */
function countOf(list: unknown): string {
  return Array.isArray(list) ? String(list.length) : 'so many';
}

function nonEmptyList<T extends z.ZodType>(item: T, what: string) {
  return z.array(item).min(1, { error: `list at least one ${what}` });
}

export const hookObjectShape = {
  name: hookName,
  priority: z
    .int({ error: (issue) => `priority must be a whole number, got ${describeValue(issue.input)}` })
    .min(AUTHOR_PRIORITY_RANGE.min, {
      error: `priority must be at least ${AUTHOR_PRIORITY_RANGE.min} (the operator can set more with marathon plugin priority)`,
    })
    .max(AUTHOR_PRIORITY_RANGE.max, {
      error: `priority must be at most ${AUTHOR_PRIORITY_RANGE.max} (the operator can set more with marathon plugin priority)`,
    })
    .optional()
    .meta({
      description:
        `Higher runs first; ties run in load order. Default 0, from ${AUTHOR_PRIORITY_RANGE.min} ` +
        `to ${AUTHOR_PRIORITY_RANGE.max}; the operator may override it.`,
    }),
};

export const commandObjectShape = {
  name: commandName,
  description: z.string().optional().meta({ description: 'One line shown in help.' }),
  usage: z.string().optional().meta({ description: "Arguments in help, e.g. '<name>'." }),
};

/**
 * A name with something in it: a blank one would normalise to '' (the string form is trimmed),
 * a manifest that then no longer validates.
 */
const authorName = z.string().regex(/\S/, { error: "give the author's name" });

export const authorObjectShape = {
  name: authorName,
  email: z.string().optional(),
  url: z.string().optional(),
};

const positiveInt = (what: string) =>
  z
    .int({ error: (issue) => `${what} must be a whole number, got ${describeValue(issue.input)}` })
    .positive({ error: `${what} must be greater than 0` })
    .optional();

export const limitsShape = {
  max_memory: positiveInt('max_memory').meta({ description: 'Bytes; at most the policy limit (64 MiB by default).' }),
  max_cpu_time_ms: positiveInt('max_cpu_time_ms').meta({
    description: 'Milliseconds of CPU time; at most the policy limit (10 s by default).',
  }),
  max_network_connections: positiveInt('max_network_connections').meta({
    description: 'Connections open at once; at most the policy limit (10 by default).',
  }),
  max_file_descriptors: positiveInt('max_file_descriptors').meta({
    description: 'Files open at once; at most the policy limit (20 by default).',
  }),
};

export const networkShape = {
  allowed_hosts: nonEmptyList(formattedString(hostPatternProblem), 'host').meta({
    description: "Hosts ctx.net.fetch may reach: 'api.example.com', '*.example.org' or an IPv4 address.",
  }),
};
export const envVarsShape = {
  allowed: nonEmptyList(formattedString(envNameProblem), 'variable name').meta({
    description: 'Environment variables ctx.env.get may read.',
  }),
};

const execCommand = formattedString(execCommandProblem);

/** One allowed argument prefix of a pinned command, e.g. ["log", "--oneline"]. */
const argumentPrefix = z
  .array(formattedString(execArgumentProblem), {
    error: (issue) =>
      typeof issue.input === 'string'
        ? `each prefix is a list of arguments: write [${JSON.stringify(issue.input)}], not ${JSON.stringify(issue.input)}`
        : `expected a list of arguments such as ["log", "--oneline"], got ${describeValue(issue.input)}`,
  })
  .min(1, { error: 'an empty prefix would allow any arguments: list at least one, or write the command as a plain string' });

export const pinnedCommandShape = {
  command: execCommand.meta({ description: "A program name such as 'git' or an absolute path." }),
  args: z
    .array(argumentPrefix, {
      error: (issue) =>
        issue.input === undefined
          ? 'required: list the argument prefixes the command may start with, e.g. [["status"], ["log", "--oneline"]]; a plain string allows any arguments'
          : `expected a list of argument prefixes such as [["status"]], got ${describeValue(issue.input)}`,
    })
    .min(1, { error: 'list at least one argument prefix, or write the command as a plain string to allow any arguments' })
    .meta({
      description: 'The arguments ctx.exec may start with: each inner list is one allowed prefix, e.g. [["status"], ["log", "--oneline"]].',
    }),
};

export const execShape = {
  allowed_commands: nonEmptyList(z.union([execCommand, z.strictObject(pinnedCommandShape)]), 'command').meta({
    description:
      'Programs ctx.exec may run, without a shell: \'jq\' takes any arguments; { "command": ' +
      '"git", "args": [["status"]] } only arguments starting with a listed prefix.',
  }),
};

// A default or enum value's type is checked against its declaration in setting-rules.ts, which
// reports a wrong one once and in the declaration's own words; these only describe it to editors.
const SETTING_VALUE_JSON_SCHEMA = [
  { type: 'string' },
  { type: 'number' },
  { type: 'boolean' },
  { type: 'array', items: { type: 'string' } },
];

export const settingDeclarationShape = {
  type: oneOf<SettingType>(SETTING_TYPES, 'setting type').meta({
    description: "'array' is a list of strings; 'integer' a whole number.",
  }),
  description: z
    .string()
    .regex(/\S/, { error: 'say in a few words what the setting does; the operator reads it in marathon plugin config' })
    .max(MAX_SETTING_DESCRIPTION_LENGTH, { error: `keep the description under ${MAX_SETTING_DESCRIPTION_LENGTH} characters` })
    .meta({ description: 'What the setting does, shown to the operator.' }),
  default: z.unknown().optional().meta({
    anyOf: SETTING_VALUE_JSON_SCHEMA,
    description: "Used when the operator sets no value; of the setting's type. Not on a secret.",
  }),
  enum: z
    .array(z.unknown())
    .min(1, { error: 'list at least one allowed value, or remove enum' })
    .optional()
    .meta({
      items: { anyOf: SETTING_VALUE_JSON_SCHEMA.slice(0, 3) },
      description: "The only values allowed, each once; for an 'array' setting, the values each item may take.",
    }),
  minimum: z
    .number({ error: (issue) => `expected a number, got ${describeValue(issue.input)}` })
    .optional()
    .meta({ description: "Smallest allowed value of a 'number' or 'integer' setting." }),
  maximum: z
    .number({ error: (issue) => `expected a number, got ${describeValue(issue.input)}` })
    .optional()
    .meta({ description: "Largest allowed value of a 'number' or 'integer' setting." }),
  pattern: formattedString(settingPatternProblem)
    .optional()
    .meta({ description: "A JavaScript regular expression (unicode mode) a 'string' value, or each 'array' item, must match." }),
  secret: z
    .boolean()
    .optional()
    .meta({ description: "Only on 'string', without a default: the operator gives it as an ${ENV_VAR} reference, never shown." }),
};

export const manifestShape = {
  $schema: z.string().optional(),
  name: formattedString(packageNameProblem).meta({
    description: "The plugin's name, following npm's package-name rules (optionally @scope/name).",
    pattern: NAME_PATTERN,
  }),
  version: formattedString(versionProblem).meta({ description: 'Semantic version, e.g. 1.0.0.', pattern: SEMVER_PATTERN }),
  description: z.string().max(500, { error: 'keep the description under 500 characters' }).optional(),
  author: z
    .union([authorName, z.strictObject(authorObjectShape)])
    .optional()
    .meta({ description: "'Name <email> (url)' or { name, email, url }." }),
  api_version: formattedString(versionProblem).meta({
    description: 'The plugin API this plugin is written for; compatible when the host provides ^api_version.',
    pattern: SEMVER_PATTERN,
  }),
  main: formattedString(mainProblem)
    .optional()
    .meta({ description: 'The ES module to load, relative to the plugin folder. Default index.js.' }),
  permissions: z.array(permission).optional().meta({ description: 'What the plugin may do; each at most once.' }),
  hooks: z
    .array(z.union([hookName, z.strictObject(hookObjectShape)]))
    .max(MAX_HOOK_ENTRIES, {
      error: (issue) => `${countOf(issue.input)} hook entries is more than the ${MAX_HOOK_ENTRIES} a plugin may list: list each hook once`,
    })
    .optional()
    .meta({ description: "Hooks the plugin handles: 'post_task_execute' or { name, priority }." }),
  commands: z
    .array(z.union([commandName, z.strictObject(commandObjectShape)]))
    .max(MAX_COMMANDS, {
      error: (issue) =>
        `${countOf(issue.input)} commands is more than the ${MAX_COMMANDS} a plugin may declare: each one is ` +
        `registered with the CLI on every marathon call; group related actions under fewer commands that take arguments`,
    })
    .optional()
    .meta({ description: "Commands the plugin adds: 'hello' or { name, description, usage }." }),
  dependencies: z
    .record(z.string(), formattedString(rangeProblem))
    .optional()
    .meta({ description: 'Other plugins this one needs, by name, with semver ranges.' }),
  network: z.strictObject(networkShape).optional().meta({ description: "Required with the 'network' permission." }),
  env_vars: z.strictObject(envVarsShape).optional().meta({ description: "Required with the 'env_vars' permission." }),
  exec: z.strictObject(execShape).optional().meta({ description: "Required with the 'exec' permission." }),
  limits: z.strictObject(limitsShape).optional().meta({ description: 'Resource limits; may only lower the host policy.' }),
  configuration: z
    .record(z.string().meta({ pattern: SETTING_KEY_PATTERN.source }), z.strictObject(settingDeclarationShape))
    .optional()
    .meta({
      description: `Settings the operator may give with marathon plugin config, read as ctx.config; at most ${MAX_SETTINGS}.`,
      maxProperties: MAX_SETTINGS,
    }),
};

export const manifestSchema = z
  .strictObject(manifestShape, {
    error: (issue) =>
      issue.code === 'invalid_type' ? `plugin.json must hold a JSON object, got ${describeValue(issue.input)}` : undefined,
  })
  .meta({ title: 'Marathon plugin manifest (plugin.json)' });

export type ManifestInput = z.input<typeof manifestSchema>;
export type ManifestData = z.output<typeof manifestSchema>;

/**
 * The keys each object in a manifest may have, by path pattern (`[]` stands for any array index,
 * `{}` for any key of a map such as `configuration`),
 * derived from the shapes above so that "did you mean" never drifts from the schema.
 */
export const OBJECT_KEYS: ReadonlyMap<string, readonly string[]> = new Map([
  ['', Object.keys(manifestShape)],
  ['author', Object.keys(authorObjectShape)],
  ['hooks[]', Object.keys(hookObjectShape)],
  ['commands[]', Object.keys(commandObjectShape)],
  ['network', Object.keys(networkShape)],
  ['env_vars', Object.keys(envVarsShape)],
  ['exec', Object.keys(execShape)],
  ['exec.allowed_commands[]', Object.keys(pinnedCommandShape)],
  ['limits', Object.keys(limitsShape)],
  ['configuration{}', Object.keys(settingDeclarationShape)],
]);

/** Where a misplaced nested key belongs, e.g. `allowed_hosts` → `network.allowed_hosts`. */
export const NESTED_KEY_HOMES: ReadonlyMap<string, string> = new Map(
  [...OBJECT_KEYS].flatMap(([home, keys]) =>
    home === '' || home.endsWith('[]') || home.endsWith('{}')
      ? []
      : keys.filter((key) => key !== 'name').map((key): [string, string] => [key, `${home}.${key}`]),
  ),
);
