// What an expression in a plugin's source refers to, as far as can be told without running it: the
// global object (by name, or through a variable that holds it), a prototype shared by all code, a
// function value (whose .constructor is a Function constructor), or a property read or written
// through the Reflect and Object helpers that take (target, key). The code scanner's rules ask
// these questions so that an indirect spelling of a refused pattern is refused like the direct one.
// Variables are followed by binding (scan-scopes.ts), so `g` holding globalThis in one function says
// nothing about another function's `g`.
import type { CallExpression, Function, Identifier, Literal, MemberExpression, NewExpression, Node, Program } from 'acorn';
import { analyseScopes, type Scopes } from './scan-scopes';

// acorn-walk is loaded with acorn, on first scan (see code-scanner.ts).
const walk = (): typeof import('acorn-walk') => require('acorn-walk') as typeof import('acorn-walk');

/** Global objects through which eval and friends can be reached by name. */
export const GLOBAL_OBJECTS = new Set(['globalThis', 'window', 'self', 'global']);
export const BUILT_INS = new Set([
  'Object',
  'Array',
  'Function',
  'String',
  'Number',
  'Boolean',
  'Promise',
  'RegExp',
  'Date',
  'Map',
  'Set',
  'JSON',
  'Math',
  'Reflect',
  'Error',
  'Symbol',
]);

/** Helpers that read or write a property given as (target, key, …): `Reflect.get(g, 'eval')` is `g.eval`. */
export const KEYED_ACCESS = new Set([
  'Reflect.get',
  'Reflect.set',
  'Reflect.defineProperty',
  'Reflect.deleteProperty',
  'Reflect.getOwnPropertyDescriptor',
  'Object.getOwnPropertyDescriptor',
  'Object.defineProperty',
]);
/** Keyed helpers that change the target. */
export const KEYED_WRITES = new Set(['Reflect.set', 'Reflect.defineProperty', 'Reflect.deleteProperty', 'Object.defineProperty']);
const PROTOTYPE_OF = new Set(['Object.getPrototypeOf', 'Reflect.getPrototypeOf']);

/** Sets of bindings (keys from Scopes.bindingOf). */
export interface References {
  scopes: Scopes;
  /** Variables that hold the global object (`const g = globalThis`). */
  globalAliases: Set<string>;
  /** Variables that hold a prototype (`const p = Object.getPrototypeOf({})`). */
  prototypeAliases: Set<string>;
  /** Functions and classes declared by name, and variables that hold a function literal. */
  functionNames: Set<string>;
  /** The function a binding always holds (declared with it and never assigned again). */
  functionLiterals: Map<string, Function>;
}

/** Whether `node` is the engine's global `name` (or any of `names`), not shadowed where it is used. */
export function isGlobalName(node: Node | null | undefined, refs: References, names: ReadonlySet<string> | string): node is Identifier {
  if (!isIdentifier(node) || !refs.scopes.isGlobal(node)) return false;
  return typeof names === 'string' ? node.name === names : names.has(node.name);
}

/** A property access, whether written `o.p`, `o[k]` or `Reflect.get(o, k)`. */
export interface MemberView {
  object: Node;
  /** The property's name when it is a constant. */
  name: string | undefined;
  /** The name is computed at run time. */
  dynamic: boolean;
  /** The helper used instead of member syntax, such as 'Reflect.get'. */
  via: string | undefined;
}

export function isIdentifier(node: Node | null | undefined, name?: string): node is Identifier {
  return node?.type === 'Identifier' && (name === undefined || (node as Identifier).name === name);
}

/** A string known before run time: a string literal or a template literal without substitutions. */
export function constantString(node: Node | null | undefined): string | undefined {
  if (node?.type === 'Literal' && typeof (node as Literal).value === 'string') return (node as Literal).value as string;
  if (node?.type === 'TemplateLiteral') {
    const template = node as import('acorn').TemplateLiteral;
    if (template.expressions.length === 0) return template.quasis[0]?.value.cooked ?? undefined;
  }
  return undefined;
}

export function propertyName(member: MemberExpression): string | undefined {
  const property = member.property;
  if (!member.computed && property.type === 'Identifier') return property.name;
  return constantString(property);
}

/** 'Reflect.get' for `Reflect.get(…)` or `Reflect['get'](…)`, when Reflect is the built-in one. */
export function staticCallee(call: CallExpression, refs: References): string | undefined {
  const callee = call.callee;
  if (callee.type !== 'MemberExpression' || !isIdentifier(callee.object) || !refs.scopes.isGlobal(callee.object)) return undefined;
  const name = propertyName(callee);
  return name === undefined ? undefined : `${callee.object.name}.${name}`;
}

export function memberView(node: Node, refs: References): MemberView | undefined {
  if (node.type === 'MemberExpression') {
    const member = node as MemberExpression;
    const name = propertyName(member);
    return { object: member.object, name, dynamic: member.computed && name === undefined, via: undefined };
  }
  if (node.type !== 'CallExpression') return undefined;
  const call = node as CallExpression;
  const via = staticCallee(call, refs);
  const [target, key] = call.arguments;
  if (via === undefined || !KEYED_ACCESS.has(via) || target === undefined || target.type === 'SpreadElement') return undefined;
  const name = constantString(key);
  return { object: target, name, dynamic: name === undefined, via };
}

/** The value an expression ends up as, looking through `a, b`, `a || b`, `c ? a : b` and `x = a`. */
function outcomes(node: Node): Node[] {
  switch (node.type) {
    case 'SequenceExpression': {
      const expressions = (node as import('acorn').SequenceExpression).expressions;
      return outcomes(expressions[expressions.length - 1]!);
    }
    case 'LogicalExpression': {
      const logical = node as import('acorn').LogicalExpression;
      return [...outcomes(logical.left), ...outcomes(logical.right)];
    }
    case 'ConditionalExpression': {
      const conditional = node as import('acorn').ConditionalExpression;
      return [...outcomes(conditional.consequent), ...outcomes(conditional.alternate)];
    }
    case 'AssignmentExpression':
      return outcomes((node as import('acorn').AssignmentExpression).right);
    case 'ChainExpression':
      return outcomes((node as import('acorn').ChainExpression).expression);
    default:
      return [node];
  }
}

/** The name of the global object an expression may be (`globalThis`, `g` holding it, `self.window`). */
export function globalObjectName(node: Node, refs: References): string | undefined {
  for (const outcome of outcomes(node)) {
    if (isIdentifier(outcome)) {
      if (refs.globalAliases.has(refs.scopes.bindingOf(outcome)) || isGlobalName(outcome, refs, GLOBAL_OBJECTS)) return outcome.name;
      continue;
    }
    const view = memberView(outcome, refs);
    if (view?.name !== undefined && GLOBAL_OBJECTS.has(view.name)) {
      const holder = globalObjectName(view.object, refs);
      if (holder !== undefined) return holder;
    }
  }
  return undefined;
}

function isPrototypeOfCall(node: Node, refs: References): node is CallExpression {
  if (node.type !== 'CallExpression') return false;
  const callee = staticCallee(node as CallExpression, refs);
  return callee !== undefined && PROTOTYPE_OF.has(callee);
}

/** Whether an expression may be a prototype object, which other code (built-ins included) inherits from. */
export function isSharedPrototype(node: Node, refs: References): boolean {
  return outcomes(node).some((outcome) => {
    if (isIdentifier(outcome)) return refs.prototypeAliases.has(refs.scopes.bindingOf(outcome));
    if (isPrototypeOfCall(outcome, refs)) return true;
    const view = memberView(outcome, refs);
    if (view === undefined) return false;
    if (view.name === '__proto__') return true;
    if (view.name !== 'prototype') return false;
    if (isGlobalName(view.object, refs, BUILT_INS)) return true;
    // x.constructor.prototype: for a literal x, a built-in prototype.
    return memberView(view.object, refs)?.name === 'constructor';
  });
}

/** Whether an expression may be a function (or a function's prototype), whose .constructor runs text as code. */
export function isFunctionValue(node: Node, refs: References): boolean {
  return outcomes(node).some((outcome) => {
    switch (outcome.type) {
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
      case 'ClassExpression':
        return true;
      case 'Identifier':
        return refs.functionNames.has(refs.scopes.bindingOf(outcome as Identifier));
      default:
        break;
    }
    if (isPrototypeOfCall(outcome, refs)) {
      const argument = outcome.arguments[0];
      return argument !== undefined && argument.type !== 'SpreadElement' && isFunctionValue(argument, refs);
    }
    if (outcome.type === 'CallExpression') {
      // f.bind(…) is a function too.
      const callee = (outcome as CallExpression).callee;
      return callee.type === 'MemberExpression' && propertyName(callee) === 'bind' && isFunctionValue(callee.object, refs);
    }
    const view = memberView(outcome, refs);
    if (view === undefined) return false;
    if (view.name === 'prototype') return isGlobalName(view.object, refs, 'Function');
    return view.name === '__proto__' && isFunctionValue(view.object, refs);
  });
}

const usesArguments = new WeakMap<Function, boolean>();

/** Whether a function may read its arguments other than through its parameters. */
function readsArguments(fn: Function): boolean {
  let found = usesArguments.get(fn);
  if (found === undefined) {
    found = false;
    walk().simple(fn, {
      Identifier: (node) => {
        if (node.name === 'arguments') found = true;
      },
    });
    usesArguments.set(fn, found);
  }
  return found;
}

/**
 * The parameter that receives `argument` of a call to a function of this file: an immediately
 * called function, `f.call(this, …)`, or a name that always holds one function. The argument is then
 * followed into that parameter instead of being lost. Undefined when it cannot be told.
 */
export function parameterFor(call: CallExpression | NewExpression, argument: Node, refs: References): Identifier | undefined {
  let callee: Node = call.callee;
  let offset = 0;
  if (call.type === 'CallExpression' && callee.type === 'MemberExpression' && propertyName(callee as MemberExpression) === 'call') {
    callee = (callee as MemberExpression).object;
    offset = 1;
  }
  let fn: Function | undefined;
  if (callee.type === 'FunctionExpression' || callee.type === 'ArrowFunctionExpression') fn = callee as Function;
  else if (isIdentifier(callee)) fn = refs.functionLiterals.get(refs.scopes.bindingOf(callee));
  if (fn === undefined || readsArguments(fn)) return undefined;
  const param = fn.params[call.arguments.indexOf(argument as never) - offset];
  if (param?.type === 'Identifier') return param;
  if (param?.type === 'AssignmentPattern' && param.left.type === 'Identifier') return param.left;
  return undefined;
}

const isFunctionLiteralNode = (node: Node | null | undefined): node is Function =>
  node?.type === 'FunctionExpression' || node?.type === 'ArrowFunctionExpression';

/** What every name of the file may hold. Bindings are followed until nothing changes, so `h = g` after `g = globalThis` counts. */
export function collectReferences(program: Program, sourceType: 'module' | 'script'): References {
  const scopes = analyseScopes(program, sourceType);
  const refs: References = {
    scopes,
    globalAliases: new Set(),
    prototypeAliases: new Set(),
    functionNames: new Set(),
    functionLiterals: new Map(),
  };
  const bindings: Array<[binding: string, value: Node]> = [];
  const calls: Array<CallExpression | NewExpression> = [];
  walk().simple(program, {
    VariableDeclarator: (node) => {
      if (node.id.type !== 'Identifier' || !node.init) return;
      bindings.push([scopes.bindingOf(node.id), node.init]);
      if (isFunctionLiteralNode(node.init)) refs.functionLiterals.set(scopes.bindingOf(node.id), node.init);
    },
    AssignmentExpression: (node) => {
      if (node.left.type === 'Identifier') bindings.push([scopes.bindingOf(node.left), node.right]);
    },
    AssignmentPattern: (node) => {
      // A default value: function f(g = globalThis).
      if (node.left.type === 'Identifier') bindings.push([scopes.bindingOf(node.left), node.right]);
    },
    FunctionDeclaration: (node) => {
      if (!node.id) return;
      refs.functionNames.add(scopes.bindingOf(node.id));
      refs.functionLiterals.set(scopes.bindingOf(node.id), node);
    },
    CallExpression: (node) => void calls.push(node),
    NewExpression: (node) => void calls.push(node),
    ClassDeclaration: (node) => {
      if (node.id) refs.functionNames.add(scopes.bindingOf(node.id));
    },
  });
  for (const binding of [...refs.functionLiterals.keys()]) if (scopes.writesOf(binding) !== 1) refs.functionLiterals.delete(binding);
  for (const call of calls) {
    for (const argument of call.arguments) {
      const param = parameterFor(call, argument, refs);
      if (param !== undefined) bindings.push([scopes.bindingOf(param), argument]);
    }
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const [binding, value] of bindings) {
      for (const [set, holds] of [
        [refs.globalAliases, globalObjectName(value, refs) !== undefined],
        [refs.prototypeAliases, isSharedPrototype(value, refs)],
        [refs.functionNames, isFunctionValue(value, refs)],
      ] as const) {
        if (holds && !set.has(binding)) {
          set.add(binding);
          changed = true;
        }
      }
    }
  }
  return refs;
}
