// Plugin dependencies: which plugins a plugin needs (its manifest's ranges, checked with semver),
// in the order to enable them, and who depends on whom. Cycles are refused with the cycle printed.
import semver from 'semver';
import { ownEntry, type InstalledPlugin } from '@marathon/registry';
import { ManagerError } from './errors';

type Installed = Readonly<Record<string, InstalledPlugin>>;

/** Problems with `name`'s direct dependencies among the installed plugins. */
export function dependencyProblems(name: string, dependencies: Readonly<Record<string, string>>, installed: Installed): ManagerError | undefined {
  for (const [dependency, range] of Object.entries(dependencies)) {
    const found = ownEntry(installed, dependency);
    if (found === undefined) {
      return new ManagerError('DEPENDENCY_MISSING', `plugin '${name}' needs '${dependency}' (${range}), which is not installed: install it first, or install with --with-dependencies`);
    }
    if (!semver.satisfies(found.version, range, { includePrerelease: true })) {
      return new ManagerError('DEPENDENCY_INCOMPATIBLE', `plugin '${name}' needs '${dependency}' ${range}, but ${found.version} is installed: install a version that satisfies ${range}`);
    }
  }
  return undefined;
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
    const cycleStart = path.indexOf(current);
    if (cycleStart !== -1) {
      const cycle = [...path.slice(cycleStart), current].join(' → ');
      throw new ManagerError('DEPENDENCY_CYCLE', `plugins depend on each other in a cycle: ${cycle}; break it by removing one dependency`);
    }
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
