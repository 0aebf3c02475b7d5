// The scanner's rules for what a node reaches: property accesses (however written), destructuring
// of the global object, writes to shared prototypes, and the global object handed on where the
// scanner can no longer follow it. code-scanner.ts walks a file and calls them.
import type {
  AssignmentExpression,
  AssignmentPattern,
  CallExpression,
  MemberExpression,
  Node,
  ObjectPattern,
  SequenceExpression,
  VariableDeclarator,
} from 'acorn';
import { report, type ScanContext } from './scan-finding';
import {
  BUILT_INS,
  constantString,
  GLOBAL_OBJECTS,
  globalObjectName,
  isFunctionValue,
  isGlobalName,
  isIdentifier,
  isSharedPrototype,
  KEYED_ACCESS,
  memberView,
  parameterFor,
  propertyName,
  staticCallee,
  type MemberView,
  type References,
} from './scan-references';

/** Helpers that only test whether a name exists; nothing is reached through them. */
const KEY_TESTS = new Set(['Reflect.has', 'Object.hasOwn']);

/** eval, as a name, as `(0, eval)`, or as a property of a global object. */
export function refersToEval(node: Node, context: ScanContext): boolean {
  if (isIdentifier(node, 'eval')) return context.refs.scopes.isGlobal(node);
  if (node.type === 'SequenceExpression') {
    const expressions = (node as SequenceExpression).expressions;
    return refersToEval(expressions[expressions.length - 1]!, context);
  }
  if (node.type !== 'MemberExpression') return false;
  const member = node as MemberExpression;
  return globalObjectName(member.object, context.refs) !== undefined && propertyName(member) === 'eval';
}

/**
 * A function written in place (a literal, its prototype, a bound copy), as opposed to a name that
 * holds one: computed lookups on named functions and classes (`Colors[key]`) are ordinary code.
 */
function isInlineFunction(node: Node, refs: References): boolean {
  return (
    ['FunctionExpression', 'ArrowFunctionExpression', 'ClassExpression', 'CallExpression'].includes(node.type) &&
    isFunctionValue(node, refs)
  );
}

/** The rules for a property access, written `o.p`, `o[k]`, `Reflect.get(o, k)` or `const { p } = o` alike. */
export function checkMember(context: ScanContext, node: Node, view: MemberView, called: boolean): void {
  const { refs } = context;
  const { object, name } = view;
  const how = view.via === undefined ? '' : ` (with ${view.via})`;
  const holder = globalObjectName(object, refs);
  if (name === 'constructor' && memberView(object, refs)?.name === 'constructor') {
    report(context, node, 'function-constructor', 'high', `reaches the Function constructor through .constructor.constructor${how}`);
  } else if (name === 'constructor' && isFunctionValue(object, refs)) {
    report(context, node, 'function-constructor', 'high', `reaches the Function constructor through a function's .constructor${how}`);
  } else if (view.dynamic && isInlineFunction(object, refs)) {
    report(
      context,
      node,
      'function-constructor',
      'high',
      `looks up a computed name on a function${how}, which can reach the Function constructor`,
    );
  } else if (holder !== undefined) {
    if (view.dynamic)
      report(
        context,
        node,
        'dynamic-global-access',
        'high',
        `looks up a computed name on ${holder}${how}, which hides what it reaches (eval, Function, process)`,
      );
    else if (name === 'process' || name === 'require') report(context, node, name, 'high', `reaches for ${holder}.${name}${how}`);
    else if (name === 'Function')
      report(context, node, 'function-constructor', 'high', `reaches the Function constructor through ${holder}${how}`);
    // A called globalThis.eval(…) is reported by the call.
    else if (name === 'eval' && !called)
      report(context, node, 'eval', 'high', `reaches eval through ${holder}${how}, which runs text as code`);
  } else if (name === '__proto__') {
    report(context, node, 'prototype-mutation', 'medium', `touches __proto__${how}`);
  } else if (name === 'prototype' && isGlobalName(object, refs, BUILT_INS)) {
    report(context, node, 'prototype-mutation', 'medium', `reaches ${object.name}.prototype${how}, shared by all code in the engine`);
  }
}

/** `const { eval: e, [k]: v, ...all } = globalThis`: each property taken is a property access. */
export function checkGlobalPattern(context: ScanContext, pattern: Node, value: Node | null | undefined): void {
  if (pattern.type !== 'ObjectPattern' || value === null || value === undefined) return;
  const holder = globalObjectName(value, context.refs);
  if (holder === undefined) return;
  for (const property of (pattern as ObjectPattern).properties) {
    if (property.type === 'RestElement') {
      report(
        context,
        property,
        'dynamic-global-access',
        'high',
        `copies every property of ${holder}, which hides what it reaches (eval, Function, process)`,
      );
      continue;
    }
    const name = property.computed
      ? constantString(property.key)
      : isIdentifier(property.key)
        ? property.key.name
        : constantString(property.key);
    checkMember(context, property, { object: value, name, dynamic: name === undefined, via: 'destructuring' }, false);
  }
}

/** An assignment, update or delete of `target`: refused in the same words whichever way the prototype was reached. */
export function checkPrototypeWrite(context: ScanContext, node: Node, target: Node): void {
  const view = memberView(target, context.refs);
  if (view !== undefined && isSharedPrototype(view.object, context.refs)) {
    report(context, node, 'prototype-mutation', 'medium', 'changes a property of a prototype, which every object inheriting from it sees');
  }
}

// Parents through which the global object passes on as the value of the larger expression.
const PASSES_ON = new Set(['SequenceExpression', 'LogicalExpression', 'ConditionalExpression', 'ChainExpression', 'AwaitExpression']);
// Parents that only test or print the value: nothing can be looked up on it there.
const INSPECTS = new Set([
  'BinaryExpression',
  'UnaryExpression',
  'ExpressionStatement',
  'IfStatement',
  'WhileStatement',
  'DoWhileStatement',
  'ForStatement',
  'SwitchStatement',
  'SwitchCase',
  'TemplateLiteral',
  'WithStatement',
]);

/**
 * Where a reference to the global object goes. Property access, aliases and destructuring are
 * checked by their own rules; anywhere else (an argument, an array or object element, a return
 * value, a property of another object) the scanner can no longer follow what is looked up on it.
 */
export function checkGlobalEscape(context: ScanContext, holder: string, ancestors: readonly Node[]): void {
  let child = ancestors[ancestors.length - 1]!;
  let parent: Node | undefined;
  for (let i = ancestors.length - 2; i >= 0; i -= 1) {
    parent = ancestors[i]!;
    const passes =
      (PASSES_ON.has(parent.type) && (parent as { test?: Node }).test !== child) ||
      (parent.type === 'AssignmentExpression' && (parent as AssignmentExpression).left.type === 'Identifier') ||
      (parent.type === 'MemberExpression' &&
        (parent as MemberExpression).object === child &&
        GLOBAL_OBJECTS.has(propertyName(parent as MemberExpression) ?? ''));
    if (!passes) break;
    child = parent;
    parent = undefined;
  }
  if (parent === undefined || INSPECTS.has(parent.type) || (PASSES_ON.has(parent.type) && (parent as { test?: Node }).test === child))
    return;
  const bound = (target: Node): boolean => target.type === 'Identifier' || target.type === 'ObjectPattern';
  switch (parent.type) {
    case 'MemberExpression':
      if ((parent as MemberExpression).object === child) return;
      break;
    case 'VariableDeclarator':
      if (bound((parent as VariableDeclarator).id)) return;
      break;
    case 'AssignmentExpression':
    case 'AssignmentPattern':
      if (bound((parent as AssignmentExpression | AssignmentPattern).left)) return;
      break;
    case 'CallExpression':
    case 'NewExpression': {
      const call = parent as CallExpression;
      if (call.callee === child || parameterFor(call, child, context.refs) !== undefined) return;
      const via = parent.type === 'CallExpression' ? staticCallee(call, context.refs) : undefined;
      if (via !== undefined && call.arguments[0] === child && (KEYED_ACCESS.has(via) || KEY_TESTS.has(via))) return;
      report(
        context,
        child,
        'dynamic-global-access',
        'high',
        `passes ${holder} to ${via ?? 'a function'}, which can then look up any name on it (eval, Function, process)`,
      );
      return;
    }
    default:
      break;
  }
  report(
    context,
    child,
    'dynamic-global-access',
    'high',
    `hands ${holder} on where the scanner cannot follow what is looked up on it (eval, Function, process)`,
  );
}
