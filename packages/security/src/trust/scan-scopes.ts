// Which binding each name in a file refers to, by the language's scoping rules: `var` and
// parameters belong to their function, `let`/`const`/`class` (and, in modules, function
// declarations) to their block, a catch parameter to its clause, imports to the module. The code
// scanner needs this twice: `eval` or `globalThis` is the engine's only where nothing in scope
// binds that name, and a variable holding the global object is followed where that variable is
// used, not wherever its name is reused (minified code reuses one-letter names in every function).
import type { Identifier, Node, Pattern, Program } from 'acorn';

// acorn-walk is loaded with acorn, on first scan (see code-scanner.ts).
const walk = (): typeof import('acorn-walk') => require('acorn-walk') as typeof import('acorn-walk');

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const BLOCKS = new Set([
  'Program',
  'BlockStatement',
  'StaticBlock',
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'SwitchStatement',
  'CatchClause',
  'ClassExpression',
  ...FUNCTIONS,
]);

export interface Scopes {
  /** A key naming the binding an identifier refers to; `global:NAME` when no scope of the file binds it. */
  bindingOf(identifier: Identifier): string;
  /** Whether an identifier is the engine's global of that name (nothing in the file shadows it there). */
  isGlobal(identifier: Identifier): boolean;
  /** How many places bind or assign a binding (its declaration included): 1 means it never changes. */
  writesOf(binding: string): number;
}

function patternNames(pattern: Pattern | null | undefined, names: string[] = []): string[] {
  switch (pattern?.type) {
    case 'Identifier':
      names.push(pattern.name);
      break;
    case 'ObjectPattern':
      for (const property of pattern.properties) patternNames(property.type === 'RestElement' ? property.argument : property.value, names);
      break;
    case 'ArrayPattern':
      for (const element of pattern.elements) patternNames(element, names);
      break;
    case 'RestElement':
      patternNames(pattern.argument, names);
      break;
    case 'AssignmentPattern':
      patternNames(pattern.left, names);
      break;
    default:
      break;
  }
  return names;
}

/** The innermost ancestor (not the node itself) of one of `types`. */
function nearest(ancestors: readonly Node[], types: ReadonlySet<string>): Node {
  for (let i = ancestors.length - 2; i >= 0; i -= 1) if (types.has(ancestors[i]!.type)) return ancestors[i]!;
  return ancestors[0]!;
}

export function analyseScopes(program: Program, sourceType: 'module' | 'script'): Scopes {
  const declared = new Map<Node, Set<string>>();
  const declare = (scope: Node, names: readonly string[]): void => {
    const set = declared.get(scope) ?? new Set<string>();
    for (const name of names) set.add(name);
    declared.set(scope, set);
  };
  const functionScopes = new Set([...FUNCTIONS, 'Program']);
  walk().ancestor(program, {
    VariableDeclaration(node, _state, ancestors) {
      const scope = nearest(ancestors, node.kind === 'var' ? functionScopes : BLOCKS);
      for (const declarator of node.declarations) declare(scope, patternNames(declarator.id));
    },
    FunctionDeclaration(node, _state, ancestors) {
      if (node.id) {
        declare(nearest(ancestors, BLOCKS), [node.id.name]);
        // Sloppy scripts also hoist a block's function to the enclosing function.
        if (sourceType === 'script') declare(nearest(ancestors, functionScopes), [node.id.name]);
      }
      declare(
        node,
        node.params.flatMap((param) => patternNames(param)),
      );
    },
    FunctionExpression(node) {
      declare(node, [...(node.id ? [node.id.name] : []), ...node.params.flatMap((param) => patternNames(param))]);
    },
    ArrowFunctionExpression(node) {
      declare(
        node,
        node.params.flatMap((param) => patternNames(param)),
      );
    },
    ClassDeclaration(node, _state, ancestors) {
      if (node.id) declare(nearest(ancestors, BLOCKS), [node.id.name]);
    },
    ClassExpression(node) {
      if (node.id) declare(node, [node.id.name]);
    },
    CatchClause(node) {
      declare(node, patternNames(node.param));
    },
    ImportDeclaration(node) {
      declare(
        program,
        node.specifiers.map((specifier) => specifier.local.name),
      );
    },
  });

  const ids = new Map<Node, number>();
  const bindings = new Map<Identifier, string>();
  const writes = new Map<string, number>();
  const resolve = (identifier: Identifier, ancestors: readonly Node[]): string => {
    for (let i = ancestors.length - 1; i >= 0; i -= 1) {
      const scope = ancestors[i]!;
      if (declared.get(scope)?.has(identifier.name)) {
        if (!ids.has(scope)) ids.set(scope, ids.size);
        const binding = `${ids.get(scope)}:${identifier.name}`;
        bindings.set(identifier, binding);
        return binding;
      }
    }
    bindings.set(identifier, `global:${identifier.name}`);
    return `global:${identifier.name}`;
  };
  // Names used as values arrive as Identifier; names in binding or assignment position as VariablePattern.
  // acorn-walk's types do not list the VariablePattern pseudo-type it visits.
  const visitors = {
    Identifier: (node: Identifier, _state: unknown, ancestors: Node[]) => void resolve(node, ancestors),
    VariablePattern: (node: Identifier, _state: unknown, ancestors: Node[]) => {
      const binding = resolve(node, ancestors);
      writes.set(binding, (writes.get(binding) ?? 0) + 1);
    },
  } as import('acorn-walk').AncestorVisitors<unknown>;
  walk().ancestor(program, visitors);
  // A name the walk never reached (a property key, say) is looked up as a global: that can only add findings.
  const bindingOf = (identifier: Identifier): string => bindings.get(identifier) ?? `global:${identifier.name}`;
  return {
    bindingOf,
    isGlobal: (identifier) => bindingOf(identifier).startsWith('global:'),
    writesOf: (binding) => writes.get(binding) ?? 0,
  };
}
