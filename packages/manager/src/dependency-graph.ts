// Plugin dependencies: which plugins a plugin needs (its manifest's ranges, checked with semver),
// in the order to enable them, and who depends on whom. Cycles are refused with the cycle printed.
import semver from 'semver';
import { ownEntry, type InstalledPlugin } from '@marathon/registry';
import { ManagerError } from './errors';

type Installed = Readonly<Record<string, InstalledPlugin>>;

/** Problems with `name`'s direct dependencies among the installed plugins. */
export function dependencyProblems(
  name: string,
  dependencies: Readonly<Record<string, string>>,
  installed: Installed,
): ManagerError | undefined {
  for (const [dependency, range] of Object.entries(dependencies)) {
    const found = ownEntry(installed, dependency);
    if (found === undefined) {
      return new ManagerError(
        'DEPENDENCY_MISSING',
        `plugin '${name}' needs '${dependency}' (${range}), which is not installed: install it first, or install with --with-dependencies`,
      );
    }
    if (!semver.satisfies(found.version, range, { includePrerelease: true })) {
      return new ManagerError(
        'DEPENDENCY_INCOMPATIBLE',
        `plugin '${name}' needs '${dependency}' ${range}, but ${found.version} is installed: install a version that satisfies ${range}`,
      );
    }
  }
  return undefined;
}

/**
 * The DEPENDENCY_CYCLE refusal when `dependency`, needed by the last plugin of `chain` (each of
 * which needs the next), is already in the chain: the cycle is named from where it starts,
 * "a → b → a". Undefined when it is not.
 */
export function dependencyCycle(chain: readonly string[], dependency: string): ManagerError | undefined {
  const start = chain.indexOf(dependency);
  if (start === -1) return undefined;
  const cycle = [...chain.slice(start), dependency].join(' → ');
  return new ManagerError('DEPENDENCY_CYCLE', `plugins depend on each other in a cycle: ${cycle}; break it by removing one dependency`);
}

/**
 * The first cycle reachable from `name` in a graph given by `dependenciesOf` (undefined for a
 * plugin whose dependencies are not followed), as a DEPENDENCY_CYCLE refusal; undefined if none.
 * Dependencies are followed in sorted order, so the cycle named does not depend on manifest order.
 */
export function findDependencyCycle(
  name: string,
  dependenciesOf: (plugin: string) => readonly string[] | undefined,
): ManagerError | undefined {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (current: string): ManagerError | undefined => {
    if (done.has(current)) return undefined;
    const cycle = dependencyCycle(path, current);
    if (cycle !== undefined) return cycle;
    const dependencies = dependenciesOf(current);
    if (dependencies !== undefined) {
      path.push(current);
      for (const dependency of [...dependencies].sort()) {
        const found = visit(dependency);
        if (found !== undefined) return found;
      }
      path.pop();
    }
    done.add(current);
    return undefined;
  };
  return visit(name);
}

/**
 * `name` and everything it needs, dependencies first (a topological order). Throws on a missing or
 * incompatible dependency, and on a cycle, naming it: "a → b → a".
 */
export function enableOrder(name: string, installed: Installed): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (current: string): void => {
    if (done.has(current)) return;
    const cycle = dependencyCycle(path, current);
    if (cycle !== undefined) throw cycle;
    const plugin = ownEntry(installed, current);
    if (plugin === undefined) throw new ManagerError('NOT_INSTALLED', `plugin '${current}' is not installed`);
    const problem = dependencyProblems(current, plugin.manifest.dependencies, installed);
    if (problem !== undefined) throw problem;
    path.push(current);
    for (const dependency of Object.keys(plugin.manifest.dependencies).sort()) visit(dependency);
    path.pop();
    done.add(current);
    order.push(current);
  };
  visit(name);
  return order;
}

/** Installed plugins that depend on `name`, directly or not, dependents of dependents last. */
export function dependentsOf(name: string, installed: Installed): string[] {
  const result: string[] = [];
  const visit = (current: string): void => {
    for (const plugin of Object.values(installed)) {
      if (Object.hasOwn(plugin.manifest.dependencies, current) && !result.includes(plugin.name)) {
        result.push(plugin.name);
        visit(plugin.name);
      }
    }
  };
  visit(name);
  return result;
}

/** The enabled plugins among `name`'s dependents (dependentsOf's order). */
export function enabledDependents(name: string, installed: Installed): string[] {
  return dependentsOf(name, installed).filter((dependent) => ownEntry(installed, dependent)?.status === 'enabled');
}

/** DEPENDENTS_ENABLED for `name`, naming the enabled dependents; `way` is what the operator can do. */
export function dependentsEnabled(name: string, enabled: readonly string[], way: string): ManagerError {
  const several = enabled.length > 1;
  return new ManagerError(
    'DEPENDENTS_ENABLED',
    `plugin '${name}' is needed by enabled plugin${several ? 's' : ''} ` +
      `${enabled.map((d) => `'${d}'`).join(', ')}: disable ${several ? 'them' : 'it'} first${way}`,
  );
}
