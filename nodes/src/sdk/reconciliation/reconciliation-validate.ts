import { type Diagnostic, diagnostic } from '../diagnostics';
import type { Environment } from '../environment';
import { isJsonObject, type JsonObject } from '../json';
import { checkSchema } from '../schema-check';
import { reconciliationSchema } from './reconciliation-schema';
import { type MasterDataDomain, SYSTEM_OF_RECORD } from './reconciliation-types';

export interface ReconciliationValidateOptions {
  /** The id the file name implies (`<id>.json`). */
  expectedId?: string;
  /** Given, both reads must name one of its connections. */
  environment?: Environment;
  /** Given, the correction flow must be one of these flow ids. */
  flowIds?: readonly string[];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function list(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/**
 * Validates a reconciliation stream: schema, id, field names, key shapes, tolerances that fit
 * the field's type, and for master data the domain's system of record. Never throws; the same
 * function runs in the CLI, the runtime and the designer.
 */
export function validateReconciliation(
  doc: unknown,
  options: ReconciliationValidateOptions = {},
): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!isJsonObject(doc)) {
    out.push(
      diagnostic('error', 'schema.invalid', 'A reconciliation file must hold a JSON object.', []),
    );
    return out;
  }
  for (const p of checkSchema(reconciliationSchema, doc)) {
    out.push(diagnostic('error', 'schema.invalid', p.message, p.pointer));
  }
  const id = str(doc.id);
  if (options.expectedId !== undefined && id !== undefined && id !== options.expectedId) {
    out.push(
      diagnostic(
        'error',
        'reconciliation.id-mismatch',
        `The reconciliation id "${id}" does not match its file name; name the file "${id}.json" or change the id to "${options.expectedId}".`,
        ['id'],
      ),
    );
  }
  const left = isJsonObject(doc.left) ? doc.left : undefined;
  const right = isJsonObject(doc.right) ? doc.right : undefined;
  if (left && right && Array.isArray(left.key) && Array.isArray(right.key)) {
    if (left.key.length !== right.key.length) {
      out.push(
        diagnostic(
          'error',
          'reconciliation.key',
          `Both sides need a key of the same parts: left has ${left.key.length}, right ${right.key.length}.`,
          ['right', 'key'],
        ),
      );
    }
  }
  for (const [side, read] of [
    ['left', left],
    ['right', right],
  ] as const) {
    if (!read) continue;
    const http = read.connection !== undefined || read.path !== undefined;
    const viaNode = read.node !== undefined;
    if (http === viaNode || (http && (read.connection === undefined || read.path === undefined))) {
      out.push(
        diagnostic(
          'error',
          'schema.invalid',
          'Read either through "connection" and "path" (an HTTP GET) or through a "node", not both or neither.',
          [side],
        ),
      );
    } else if (viaNode && read.paging !== undefined) {
      out.push(
        diagnostic(
          'error',
          'schema.invalid',
          '"paging" applies to HTTP reads; a node read is run once.',
          [side, 'paging'],
        ),
      );
    }
  }
  checkFields(doc, out);
  checkMasterData(doc, left, right, out);
  if (options.environment) {
    for (const [side, read] of [
      ['left', left],
      ['right', right],
    ] as const) {
      const nodeConfig = isJsonObject(read?.node) ? read.node.config : undefined;
      const viaNode = read?.connection === undefined && isJsonObject(nodeConfig);
      const connection = str(viaNode ? nodeConfig?.connection : read?.connection);
      if (connection !== undefined && !options.environment.connections[connection]) {
        out.push(
          diagnostic(
            'error',
            'reconciliation.unknown-connection',
            `The ${side} read names connection "${connection}", which environment "${options.environment.name}" does not define.`,
            viaNode ? [side, 'node', 'config', 'connection'] : [side, 'connection'],
          ),
        );
      }
    }
  }
  const flow = isJsonObject(doc.correction) ? str(doc.correction.flow) : undefined;
  if (flow !== undefined && options.flowIds && !options.flowIds.includes(flow)) {
    out.push(
      diagnostic(
        'error',
        'reconciliation.unknown-flow',
        `The correction flow "${flow}" is not among the flows (${options.flowIds.join(', ') || 'none'}).`,
        ['correction', 'flow'],
      ),
    );
  }
  return out;
}

function checkFields(doc: JsonObject, out: Diagnostic[]): void {
  const seen = new Set<string>();
  list(doc.fields).forEach((field, i) => {
    const name = str(field.name);
    if (name !== undefined) {
      if (seen.has(name)) {
        out.push(
          diagnostic(
            'error',
            'reconciliation.duplicate-field',
            `Field "${name}" is compared twice; give each field one entry.`,
            ['fields', i, 'name'],
          ),
        );
      }
      seen.add(name);
    }
    const tolerance = isJsonObject(field.tolerance) ? field.tolerance : {};
    const numeric = field.type === 'number';
    const misplaced = Object.keys(tolerance).filter((k) =>
      numeric
        ? k === 'ignoreCase' || k === 'ignoreWhitespace'
        : k === 'absolute' || k === 'relative',
    );
    for (const k of misplaced) {
      out.push(
        diagnostic(
          'error',
          'reconciliation.tolerance',
          numeric
            ? `"${k}" applies to strings; a number field takes "absolute" or "relative".`
            : `"${k}" applies to numbers; a string field takes "ignoreCase" or "ignoreWhitespace".`,
          ['fields', i, 'tolerance', k],
        ),
      );
    }
    if (!numeric) {
      for (const side of ['left', 'right'] as const) {
        const s = field[side];
        if (isJsonObject(s) && s.scale !== undefined) {
          out.push(
            diagnostic(
              'error',
              'reconciliation.tolerance',
              '"scale" converts numbers; a string field cannot be scaled.',
              ['fields', i, side, 'scale'],
            ),
          );
        }
      }
    }
  });
}

function checkMasterData(
  doc: JsonObject,
  left: JsonObject | undefined,
  right: JsonObject | undefined,
  out: Diagnostic[],
): void {
  if (doc.kind !== 'master-data') {
    for (const k of ['domain', 'systemOfRecord', 'correction'] as const) {
      if (doc[k] !== undefined) {
        out.push(
          diagnostic(
            'error',
            'reconciliation.system-of-record',
            `"${k}" belongs to master-data streams; a transactional stream only reports differences.`,
            [k],
          ),
        );
      }
    }
    return;
  }
  const domain = str(doc.domain) as MasterDataDomain | undefined;
  const side = doc.systemOfRecord;
  if (domain === undefined || (side !== 'left' && side !== 'right')) {
    out.push(
      diagnostic(
        'error',
        'reconciliation.system-of-record',
        'A master-data stream names its "domain" and which side ("systemOfRecord": "left" or "right") is the system of record.',
        [domain === undefined ? 'domain' : 'systemOfRecord'],
      ),
    );
    return;
  }
  const owner = SYSTEM_OF_RECORD[domain];
  const read = side === 'left' ? left : right;
  const system = str(read?.system);
  if (owner !== undefined && system !== undefined && system !== owner) {
    out.push(
      diagnostic(
        'error',
        'reconciliation.system-of-record',
        `The ${domain} domain is owned by ${owner.toUpperCase()}, but the ${side} side (the declared system of record) reads ${system.toUpperCase()}.`,
        ['systemOfRecord'],
      ),
    );
  }
}
