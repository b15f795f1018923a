import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layering rules of STYLE.md, checked on the import graph of the source (tests excluded):
 * a rule that holds by discipline alone breaks the first time someone is in a hurry.
 */

const root = fileURLToPath(new URL('..', import.meta.url));

interface Import {
  /** The specifier as written. */
  spec: string;
  /** The file it resolves to, for relative imports. */
  resolved: string | undefined;
  /** `import type`, or every named binding type-only: erased at run time. */
  typeOnly: boolean;
  /** `import('...')`: loaded only when that code runs. */
  dynamic: boolean;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (entry === 'node_modules' || entry === 'dist') continue;
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.tsx?$/.test(entry) && !/\.test\.tsx?$/.test(entry) && !entry.endsWith('.d.ts')) {
      out.push(full);
    }
  }
  return out;
}

function resolveRelative(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return base;
}

function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const found: Import[] = [];
  const add = (spec: string, typeOnly: boolean, dynamic: boolean) =>
    found.push({ spec, resolved: resolveRelative(file, spec), typeOnly, dynamic });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const allNamedTypeOnly =
        named !== undefined &&
        ts.isNamedImports(named) &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly) &&
        clause?.name === undefined;
      add(node.moduleSpecifier.text, Boolean(clause?.isTypeOnly) || allNamedTypeOnly, false);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, node.isTypeOnly, false);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');

/** Every import of every source file under `dir`, as `file -> spec` lines that break `rule`. */
function violations(dir: string, rule: (file: string, imp: Import) => boolean): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(path.join(root, dir))) {
    for (const imp of importsOf(file)) {
      if (rule(rel(file), imp)) out.push(`${rel(file)} -> ${imp.spec}`);
    }
  }
  return out;
}

const target = (imp: Import) => (imp.resolved ? rel(imp.resolved) : imp.spec);
const isNodeBuiltin = (spec: string) => spec.startsWith('node:');

describe('layer boundaries', () => {
  it('the engine (interpreter and step loop) touches no queue, API, store, infrastructure, Redis or Node', () => {
    const outside = /^runtime\/src\/(queue|api|store|infra|service|context|cli|promotion)\//;
    expect(
      violations('runtime/src/engine', (_file, imp) => {
        const t = target(imp);
        return (
          outside.test(t) ||
          isNodeBuiltin(imp.spec) ||
          ['bullmq', 'ioredis', 'express', 'undici', 'pino'].includes(imp.spec)
        );
      }),
    ).toEqual([]);
  });

  it('the core sdk imports neither the node library, the canonical model, EDI nor Node', () => {
    expect(
      violations('nodes/src/sdk', (_file, imp) => {
        const t = target(imp);
        return (
          /^nodes\/src\/(library|canonical|edi)\//.test(t) ||
          isNodeBuiltin(imp.spec) ||
          imp.spec === '@crossdock/nodes/executors'
        );
      }),
    ).toEqual([]);
  });

  it('services, stores, queues and promotion never import the HTTP layer', () => {
    const services = /^runtime\/src\/(service|store|queue|promotion|engine|context|activation)\//;
    const offending: string[] = [];
    for (const dir of [
      'service',
      'store',
      'queue',
      'promotion',
      'engine',
      'context',
      'activation',
    ]) {
      offending.push(
        ...violations(`runtime/src/${dir}`, (file, imp) => {
          if (!services.test(file)) return false;
          return /^runtime\/src\/api\//.test(target(imp)) || imp.spec === 'express';
        }),
      );
    }
    expect(offending).toEqual([]);
  });

  it('the flow store knows no node type: triggers reach it only through the activation service', () => {
    const typeId = /['"`](trigger|connector|mapping|rule|exception|flow)\.[a-z]/;
    const naming = sourceFiles(path.join(root, 'runtime/src/store'))
      .filter((file) => typeId.test(readFileSync(file, 'utf8')))
      .map(rel);
    expect(naming).toEqual([]);
    expect(
      violations('runtime/src/store', (_file, imp) =>
        /^runtime\/src\/(queue|transports|activation|api)\//.test(target(imp)),
      ),
    ).toEqual([]);
  });

  it('test kits stay out of production code (runtime/src/testing, sandbox/src/testing)', () => {
    const kit = /^(runtime|sandbox)\/src\/testing\//;
    const offending = [
      ...violations('runtime/src', (file, imp) => !kit.test(file) && kit.test(target(imp))),
      ...violations('sandbox/src', (file, imp) => !kit.test(file) && kit.test(target(imp))),
    ];
    expect(offending).toEqual([]);
  });

  it('only the API layer maps errors to HTTP statuses (no ApiError outside runtime/src/api)', () => {
    const offending = sourceFiles(path.join(root, 'runtime/src'))
      .filter((file) => !rel(file).startsWith('runtime/src/api/'))
      .filter((file) => /\bApiError\b/.test(readFileSync(file, 'utf8')))
      .map(rel);
    expect(offending).toEqual([]);
  });

  it('the designer talks to the runtime over HTTP only: no runtime, sandbox or Node import', () => {
    expect(
      violations('designer/src', (_file, imp) => {
        const t = target(imp);
        return (
          /^(runtime|sandbox)\//.test(t) ||
          imp.spec.startsWith('@crossdock/runtime') ||
          imp.spec.startsWith('@crossdock/sandbox') ||
          imp.spec === '@crossdock/nodes/executors' ||
          isNodeBuiltin(imp.spec)
        );
      }),
    ).toEqual([]);
  });

  it('nodes imports neither the runtime, the designer nor the sandbox', () => {
    expect(
      violations('nodes/src', (_file, imp) => {
        const t = target(imp);
        return (
          /^(runtime|designer|sandbox)\//.test(t) ||
          /^@crossdock\/(runtime|designer|sandbox)/.test(imp.spec)
        );
      }),
    ).toEqual([]);
  });

  it('the sandbox is development-only: no runtime module loads it unless it is started', () => {
    // Walk the static (non-type, non-dynamic) import graph from the runtime's entry points.
    const entries = ['runtime/src/cli/main.ts', 'runtime/src/index.ts', 'runtime/src/runtime.ts']
      .map((e) => path.join(root, e))
      .filter((e) => existsSync(e));
    const commands = path.join(root, 'runtime/src/cli/commands');
    // Development-only commands: main.ts loads them lazily (checked by walking from main.ts).
    const devOnly = new Set(['sandbox.ts', 'reset.ts']);
    for (const file of readdirSync(commands)) {
      if (/\.ts$/.test(file) && !/\.test\.ts$/.test(file) && !devOnly.has(file)) {
        entries.push(path.join(commands, file));
      }
    }
    const seen = new Set<string>();
    const loadsSandbox: string[] = [];
    const stack = [...entries];
    while (stack.length > 0) {
      const file = stack.pop();
      if (file === undefined || seen.has(file) || !existsSync(file)) continue;
      seen.add(file);
      for (const imp of importsOf(file)) {
        if (imp.typeOnly || imp.dynamic) continue;
        if (imp.spec.startsWith('@crossdock/sandbox')) loadsSandbox.push(`${rel(file)}`);
        if (imp.resolved?.endsWith('.ts') || imp.resolved?.endsWith('.tsx')) {
          stack.push(imp.resolved);
        }
      }
    }
    expect(loadsSandbox).toEqual([]);
    const pkg = JSON.parse(readFileSync(path.join(root, 'runtime/package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies ?? {})).not.toContain('@crossdock/sandbox');
  });
});
