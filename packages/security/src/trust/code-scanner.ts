// The code scanner: every JavaScript file of a plugin is parsed with acorn (a real parser, not
// regular expressions) and walked for patterns that have no place in a sandboxed plugin. The
// sandbox contains them anyway; the scanner tells the operator before install that a plugin tries.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  BinaryExpression,
  CallExpression,
  Identifier,
  MemberExpression,
  MethodDefinition,
  Node,
  Program,
  Property,
  PropertyDefinition,
  SequenceExpression,
  UnaryExpression,
} from 'acorn';
import type { PluginFile } from './plugin-files';
import { report, type ScanContext, type ScanFinding } from './scan-finding';
import { checkGlobalEscape, checkGlobalPattern, checkMember, checkPrototypeWrite, refersToEval } from './scan-rules';
import {
  collectReferences,
  globalObjectName,
  isGlobalName,
  isSharedPrototype,
  KEYED_ACCESS,
  KEYED_WRITES,
  memberView,
  propertyName,
  staticCallee,
} from './scan-references';

// acorn is loaded on first scan: only installs need it, not every process importing this package.
const acorn = (): { parse: typeof import('acorn').parse; ancestor: typeof import('acorn-walk').ancestor } => ({
  parse: (require('acorn') as typeof import('acorn')).parse,
  ancestor: (require('acorn-walk') as typeof import('acorn-walk')).ancestor,
});

const JS_FILE = /\.(?:m|c)?js$/;
const LONG_LITERAL = 2000;
/** Helpers that change every property of their first argument. */
const BULK_WRITES = new Set(['Object.assign', 'Object.defineProperties']);
const LITERALS = new Set([
  'ObjectExpression',
  'ArrayExpression',
  'Literal',
  'TemplateLiteral',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ClassExpression',
]);

function isAllowedSpecifier(value: string): boolean {
  return value.startsWith('./') || value.startsWith('../') || value === '@marathon/plugin-api';
}

/** Whether an identifier is used as a value (not a property name, a key or a label). */
function isReference(node: Identifier, ancestors: Node[]): boolean {
  const parent = ancestors[ancestors.length - 2];
  if (parent === undefined) return true;
  if (parent.type === 'MemberExpression') return (parent as MemberExpression).property !== node || (parent as MemberExpression).computed;
  if (parent.type === 'Property') {
    const property = parent as Property;
    return property.key !== node || property.computed || property.shorthand;
  }
  if (parent.type === 'PropertyDefinition' || parent.type === 'MethodDefinition') {
    return (parent as PropertyDefinition | MethodDefinition).key !== node;
  }
  return !['LabeledStatement', 'BreakStatement', 'ContinueStatement', 'ExportSpecifier', 'ImportSpecifier'].includes(parent.type);
}

function isTypeofOperand(node: Identifier, ancestors: readonly Node[]): boolean {
  const parent = ancestors[ancestors.length - 2];
  return (
    parent?.type === 'UnaryExpression' && (parent as UnaryExpression).operator === 'typeof' && (parent as UnaryExpression).argument === node
  );
}

/** Whether the node at the end of `ancestors` is what a call or `new` calls (through `(0, x)` if `throughSequences`). */
function isCallee(ancestors: readonly Node[], throughSequences: boolean): boolean {
  let child = ancestors[ancestors.length - 1];
  for (let i = ancestors.length - 2; i >= 0; i -= 1) {
    const parent = ancestors[i]!;
    if (throughSequences && parent.type === 'SequenceExpression' && (parent as SequenceExpression).expressions.at(-1) === child) {
      child = parent;
      continue;
    }
    return (parent.type === 'CallExpression' || parent.type === 'NewExpression') && (parent as CallExpression).callee === child;
  }
  return false;
}

/** `x instanceof Function` and `Function.prototype` (reported on its own) hand nothing on. */
function isHarmlessFunctionUse(ancestors: readonly Node[]): boolean {
  const node = ancestors[ancestors.length - 1];
  const parent = ancestors[ancestors.length - 2];
  if (parent?.type === 'BinaryExpression')
    return (parent as BinaryExpression).operator === 'instanceof' && (parent as BinaryExpression).right === node;
  return (
    parent?.type === 'MemberExpression' &&
    (parent as MemberExpression).object === node &&
    propertyName(parent as MemberExpression) === 'prototype'
  );
}

function looksEncoded(text: string): boolean {
  if (text.length < LONG_LITERAL) return false;
  const encoded = text.match(/[A-Za-z0-9+/=_\\-]/g)?.length ?? 0;
  return encoded / text.length > 0.95 && !/\s/.test(text.slice(0, 200));
}

/** Scans one file's source. */
export function scanSource(file: string, source: string): ScanFinding[] {
  // .cjs files are scripts (where `with` still parses); everything else is an ES module.
  const sourceType = file.endsWith('.cjs') ? 'script' : 'module';
  let program: Program;
  try {
    program = acorn().parse(source, { ecmaVersion: 'latest', sourceType, locations: true, allowHashBang: true });
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    const message = (error as Error).message.replace(/\s*\(\d+:\d+\)$/, '');
    return [
      {
        file,
        line: loc?.line ?? 1,
        column: (loc?.column ?? 0) + 1,
        rule: 'parse-error',
        severity: 'high',
        reason: `the file does not parse: ${message}`,
      },
    ];
  }
  const context: ScanContext = { file, findings: [], refs: collectReferences(program, sourceType) };
  const isGlobal = (node: Node, name: string): boolean => isGlobalName(node, context.refs, name);
  acorn().ancestor(program, {
    CallExpression(call) {
      const callee = call.callee;
      const via = staticCallee(call, context.refs);
      const target = call.arguments[0];
      if (refersToEval(callee, context)) report(context, call, 'eval', 'high', 'calls eval, which runs text as code');
      else if (isGlobal(callee, 'Function'))
        report(context, call, 'function-constructor', 'high', 'calls the Function constructor, which runs text as code');
      else if (isGlobal(callee, 'require')) {
        report(
          context,
          call,
          'require',
          'high',
          'calls require; plugins are ES modules that import only their own files and @marathon/plugin-api',
        );
      } else if (via === 'Object.setPrototypeOf' || via === 'Reflect.setPrototypeOf') {
        report(context, call, 'prototype-mutation', 'medium', `changes an object's prototype with ${via}`);
      } else if (via !== undefined && target !== undefined && target.type !== 'SpreadElement') {
        if ((KEYED_WRITES.has(via) || BULK_WRITES.has(via)) && isSharedPrototype(target, context.refs)) {
          report(
            context,
            call,
            'prototype-mutation',
            'medium',
            `changes a prototype with ${via}, which every object inheriting from it sees`,
          );
        } else if ((via === 'Object.getPrototypeOf' || via === 'Reflect.getPrototypeOf') && LITERALS.has(target.type)) {
          report(
            context,
            call,
            'prototype-mutation',
            'medium',
            `reaches a built-in prototype with ${via}, shared by all code in the engine`,
          );
        }
      }
      const view = via !== undefined && KEYED_ACCESS.has(via) ? memberView(call, context.refs) : undefined;
      if (view !== undefined) checkMember(context, call, view, false);
    },
    NewExpression(node) {
      if (isGlobal(node.callee, 'Function')) report(context, node, 'function-constructor', 'high', 'constructs a Function from text');
    },
    MemberExpression(member, _state, ancestors) {
      checkMember(context, member, memberView(member, context.refs)!, isCallee(ancestors, true));
    },
    AssignmentExpression(node) {
      checkPrototypeWrite(context, node, node.left);
      checkGlobalPattern(context, node.left, node.right);
    },
    UpdateExpression(node) {
      checkPrototypeWrite(context, node, node.argument);
    },
    UnaryExpression(node) {
      if (node.operator === 'delete') checkPrototypeWrite(context, node, node.argument);
    },
    VariableDeclarator(node) {
      checkGlobalPattern(context, node.id, node.init);
    },
    AssignmentPattern(node) {
      checkGlobalPattern(context, node.left, node.right);
    },
    Identifier(identifier, _state, ancestors) {
      if (!isReference(identifier, ancestors)) return;
      const holder = globalObjectName(identifier, context.refs);
      if (holder !== undefined) checkGlobalEscape(context, holder, ancestors);
      if (!context.refs.scopes.isGlobal(identifier)) return;
      // `typeof process` asks whether the name exists and reads nothing through it (bundlers emit
      // it to tell Node from a browser). Only the bare operand: `typeof process.env` reads process.
      if (isTypeofOperand(identifier, ancestors)) return;
      if (identifier.name === 'process') report(context, identifier, 'process', 'high', "refers to process, the host's process object");
      else if (identifier.name === 'WebAssembly')
        report(context, identifier, 'webassembly', 'high', 'uses WebAssembly, which can hide code from review');
      else if (identifier.name === 'eval' && !isCallee(ancestors, true)) {
        report(context, identifier, 'eval', 'high', 'refers to eval as a value, which can be called later to run text as code');
      } else if (identifier.name === 'Function' && !isCallee(ancestors, false) && !isHarmlessFunctionUse(ancestors)) {
        report(
          context,
          identifier,
          'function-constructor',
          'high',
          'refers to the Function constructor as a value, which can be called later to run text as code',
        );
      }
    },
    ImportExpression(node) {
      const source = node.source;
      if (source.type === 'Literal' && typeof source.value === 'string') {
        if (!isAllowedSpecifier(source.value))
          report(
            context,
            node,
            'forbidden-import',
            'high',
            `imports '${source.value}'; a plugin may import only its own files and @marathon/plugin-api`,
          );
      } else {
        report(context, node, 'dynamic-import', 'high', 'imports a module whose name is computed at run time');
      }
    },
    ImportDeclaration(node) {
      const value = node.source.value;
      if (typeof value === 'string' && !isAllowedSpecifier(value)) {
        report(
          context,
          node,
          'forbidden-import',
          'high',
          `imports '${value}'; a plugin may import only its own files and @marathon/plugin-api`,
        );
      }
    },
    WithStatement(node) {
      report(context, node, 'with-statement', 'medium', 'uses with, which hides what names refer to');
    },
    Literal(literal) {
      if (typeof literal.value === 'string' && looksEncoded(literal.value)) {
        report(
          context,
          literal,
          'obfuscated-string',
          'medium',
          `holds a ${literal.value.length}-character encoded string, a common way to hide code`,
        );
      }
    },
    TemplateLiteral(node) {
      const text = node.quasis.map((quasi) => quasi.value.cooked ?? '').join('');
      if (looksEncoded(text))
        report(context, node, 'obfuscated-string', 'medium', `holds a ${text.length}-character encoded string, a common way to hide code`);
    },
  });
  context.findings.sort((a, b) => a.line - b.line || a.column - b.column);
  return context.findings;
}

/** Scans every JavaScript file of a plugin folder. */
export async function scanPlugin(dir: string, files: readonly PluginFile[]): Promise<ScanFinding[]> {
  const findings: ScanFinding[] = [];
  for (const file of files) {
    if (!JS_FILE.test(file.path)) continue;
    let source: string;
    try {
      source = await readFile(join(dir, file.path), 'utf8');
    } catch {
      findings.push({ file: file.path, line: 1, column: 1, rule: 'unreadable', severity: 'high', reason: 'the file cannot be read' });
      continue;
    }
    findings.push(...scanSource(file.path, source));
  }
  return findings;
}
