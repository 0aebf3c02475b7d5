// The code scanner: every JavaScript file of a plugin is parsed with acorn (a real parser, not
// regular expressions) and walked for patterns that have no place in a sandboxed plugin. The
// sandbox contains them anyway; the scanner tells the operator before install that a plugin tries.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  Function,
  Identifier,
  MemberExpression,
  MethodDefinition,
  Node,
  Pattern,
  Program,
  Property,
  PropertyDefinition,
  SequenceExpression,
} from 'acorn';
import type { PluginFile } from './plugin-files';

// acorn is loaded on first scan: only installs need it, not every process importing this package.
const acorn = (): { parse: typeof import('acorn').parse; ancestor: typeof import('acorn-walk').ancestor } => ({
  parse: (require('acorn') as typeof import('acorn')).parse,
  ancestor: (require('acorn-walk') as typeof import('acorn-walk')).ancestor,
});

export type Severity = 'high' | 'medium';

export interface ScanFinding {
  file: string;
  line: number;
  column: number;
  rule: string;
  severity: Severity;
  reason: string;
}

const JS_FILE = /\.(?:m|c)?js$/;
/** Global objects through which eval and friends can be reached by name. */
const GLOBAL_OBJECTS = new Set(['globalThis', 'window', 'self', 'global']);
const BUILT_INS = new Set(['Object', 'Array', 'Function', 'String', 'Number', 'Boolean', 'Promise', 'RegExp', 'Date', 'Map', 'Set', 'JSON', 'Math', 'Reflect', 'Error', 'Symbol']);
const LONG_LITERAL = 2000;

interface Context {
  file: string;
  findings: ScanFinding[];
  /** Names the file itself declares, which are then not the host's globals. */
  declared: Set<string>;
}

function report(context: Context, node: Node, rule: string, severity: Severity, reason: string): void {
  const start = node.loc?.start;
  context.findings.push({ file: context.file, line: start?.line ?? 1, column: (start?.column ?? 0) + 1, rule, severity, reason });
}

function isIdentifier(node: Node | null | undefined, name?: string): node is Identifier {
  return node?.type === 'Identifier' && (name === undefined || (node as Identifier).name === name);
}

function propertyName(member: MemberExpression): string | undefined {
  const property = member.property;
  if (!member.computed && property.type === 'Identifier') return property.name;
  if (property.type === 'Literal' && typeof property.value === 'string') return property.value;
  return undefined;
}

/** eval, as a name, as `(0, eval)`, or as a property of a global object. */
function refersToEval(node: Node, context: Context): boolean {
  if (isIdentifier(node, 'eval')) return !context.declared.has('eval');
  if (node.type === 'SequenceExpression') {
    const expressions = (node as SequenceExpression).expressions;
    return refersToEval(expressions[expressions.length - 1]!, context);
  }
  if (node.type !== 'MemberExpression') return false;
  const member = node as MemberExpression;
  return isIdentifier(member.object) && GLOBAL_OBJECTS.has(member.object.name) && propertyName(member) === 'eval';
}

function isAllowedSpecifier(value: string): boolean {
  return value.startsWith('./') || value.startsWith('../') || value === '@marathon/plugin-api';
}

/** Names bound anywhere in the file (declarations, parameters, imports): a crude but safe scope. */
function collectDeclared(program: Program): Set<string> {
  const declared = new Set<string>();
  const addPattern = (pattern: Pattern | null | undefined): void => {
    if (pattern === null || pattern === undefined) return;
    switch (pattern.type) {
      case 'Identifier':
        declared.add(pattern.name);
        break;
      case 'ObjectPattern':
        for (const property of pattern.properties) addPattern(property.type === 'RestElement' ? property.argument : property.value);
        break;
      case 'ArrayPattern':
        for (const element of pattern.elements) addPattern(element);
        break;
      case 'RestElement':
        addPattern(pattern.argument);
        break;
      case 'AssignmentPattern':
        addPattern(pattern.left);
        break;
      default:
        break;
    }
  };
  const addFunction = (node: Function): void => {
    if (node.id) declared.add(node.id.name);
    for (const param of node.params) addPattern(param);
  };
  acorn().ancestor(program, {
    VariableDeclarator: (node) => addPattern(node.id),
    FunctionDeclaration: (node) => addFunction(node),
    FunctionExpression: (node) => {
      for (const param of node.params) addPattern(param);
    },
    ArrowFunctionExpression: (node) => {
      for (const param of node.params) addPattern(param);
    },
    ClassDeclaration: (node) => {
      if (node.id) declared.add(node.id.name);
    },
    ImportSpecifier: (node) => addPattern(node.local),
    ImportDefaultSpecifier: (node) => addPattern(node.local),
    ImportNamespaceSpecifier: (node) => addPattern(node.local),
    CatchClause: (node) => addPattern(node.param),
  });
  return declared;
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

function looksEncoded(text: string): boolean {
  if (text.length < LONG_LITERAL) return false;
  const encoded = text.match(/[A-Za-z0-9+/=_\\-]/g)?.length ?? 0;
  return encoded / text.length > 0.95 && !/\s/.test(text.slice(0, 200));
}

/** Scans one file's source. */
export function scanSource(file: string, source: string): ScanFinding[] {
  const context: Context = { file, findings: [], declared: new Set() };
  let program: Program;
  try {
    // .cjs files are scripts (where `with` still parses); everything else is an ES module.
    program = acorn().parse(source, { ecmaVersion: 'latest', sourceType: file.endsWith('.cjs') ? 'script' : 'module', locations: true, allowHashBang: true });
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    const message = (error as Error).message.replace(/\s*\(\d+:\d+\)$/, '');
    return [{ file, line: loc?.line ?? 1, column: (loc?.column ?? 0) + 1, rule: 'parse-error', severity: 'high', reason: `the file does not parse: ${message}` }];
  }
  context.declared = collectDeclared(program);
  const unshadowed = (name: string) => !context.declared.has(name);
  acorn().ancestor(program, {
    CallExpression(call) {
      const callee = call.callee;
      if (refersToEval(callee, context)) report(context, call, 'eval', 'high', 'calls eval, which runs text as code');
      else if (isIdentifier(callee, 'Function') && unshadowed('Function')) report(context, call, 'function-constructor', 'high', 'calls the Function constructor, which runs text as code');
      else if (isIdentifier(callee, 'require') && unshadowed('require')) {
        report(context, call, 'require', 'high', 'calls require; plugins are ES modules that import only their own files and @marathon/plugin-api');
      } else if (callee.type === 'MemberExpression' && isIdentifier(callee.object, 'Object') && propertyName(callee) === 'setPrototypeOf') {
        report(context, call, 'prototype-mutation', 'medium', "changes an object's prototype with Object.setPrototypeOf");
      }
    },
    NewExpression(node) {
      if (isIdentifier(node.callee, 'Function') && unshadowed('Function')) report(context, node, 'function-constructor', 'high', 'constructs a Function from text');
    },
    MemberExpression(member) {
      const object = member.object;
      const name = propertyName(member);
      if (name === 'constructor' && object.type === 'MemberExpression' && propertyName(object) === 'constructor') {
        report(context, member, 'function-constructor', 'high', 'reaches the Function constructor through .constructor.constructor');
      } else if (isIdentifier(object) && GLOBAL_OBJECTS.has(object.name) && unshadowed(object.name)) {
        if (member.computed && name === undefined) {
          report(context, member, 'dynamic-global-access', 'high', `looks up a computed name on ${object.name}, which hides what it reaches (eval, Function, process)`);
        } else if (name === 'process' || name === 'require') report(context, member, name, 'high', `reaches for ${object.name}.${name}`);
        else if (name === 'Function') report(context, member, 'function-constructor', 'high', `reaches the Function constructor through ${object.name}`);
      } else if (name === '__proto__') {
        report(context, member, 'prototype-mutation', 'medium', 'touches __proto__');
      } else if (isIdentifier(object) && BUILT_INS.has(object.name) && name === 'prototype' && unshadowed(object.name)) {
        report(context, member, 'prototype-mutation', 'medium', `reaches ${object.name}.prototype, shared by all code in the engine`);
      }
    },
    Identifier(identifier, _state, ancestors) {
      if (!isReference(identifier, ancestors) || !unshadowed(identifier.name)) return;
      if (identifier.name === 'process') report(context, identifier, 'process', 'high', "refers to process, the host's process object");
      else if (identifier.name === 'WebAssembly') report(context, identifier, 'webassembly', 'high', 'uses WebAssembly, which can hide code from review');
    },
    ImportExpression(node) {
      const source = node.source;
      if (source.type === 'Literal' && typeof source.value === 'string') {
        if (!isAllowedSpecifier(source.value)) report(context, node, 'forbidden-import', 'high', `imports '${source.value}'; a plugin may import only its own files and @marathon/plugin-api`);
      } else {
        report(context, node, 'dynamic-import', 'high', 'imports a module whose name is computed at run time');
      }
    },
    ImportDeclaration(node) {
      const value = node.source.value;
      if (typeof value === 'string' && !isAllowedSpecifier(value)) {
        report(context, node, 'forbidden-import', 'high', `imports '${value}'; a plugin may import only its own files and @marathon/plugin-api`);
      }
    },
    WithStatement(node) {
      report(context, node, 'with-statement', 'medium', 'uses with, which hides what names refer to');
    },
    Literal(literal) {
      if (typeof literal.value === 'string' && looksEncoded(literal.value)) {
        report(context, literal, 'obfuscated-string', 'medium', `holds a ${literal.value.length}-character encoded string, a common way to hide code`);
      }
    },
    TemplateLiteral(node) {
      const text = node.quasis.map((quasi) => quasi.value.cooked ?? '').join('');
      if (looksEncoded(text)) report(context, node, 'obfuscated-string', 'medium', `holds a ${text.length}-character encoded string, a common way to hide code`);
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
