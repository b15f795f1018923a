import { isDeepStrictEqual } from 'node:util';
import type { JsonValue } from '@crossdock/nodes';

/** One outbound request of a run, as the comparison sees it. */
export interface OutboundRequest {
  nodeId: string;
  method: string;
  url: string;
  body: JsonValue;
}

/** A field whose value differs between the active run (a) and the shadow run (b). */
export interface FieldDifference {
  /** `method`, `path`, `status`, or `body.<path>` (`body.lines[2].uom`). */
  field: string;
  a: JsonValue | undefined;
  b: JsonValue | undefined;
  /** The node of the shadow version whose request differs (absent for `status`). */
  nodeId?: string;
}

export type PairOutcome = 'identical' | 'differing' | 'only-in-a' | 'only-in-b';

/** What comparing one active run with its shadow run found. */
export interface PairComparison {
  outcome: PairOutcome;
  differences: FieldDifference[];
  /** Requests the active run sent that the shadow run would not have. */
  onlyInA: OutboundRequest[];
  /** Requests the shadow run would have sent that the active run did not. */
  onlyInB: OutboundRequest[];
}

export interface CompareOptions {
  /** Shadow node id -> active node id, for nodes renamed between the versions. */
  mapping?: Readonly<Record<string, string>>;
  /**
   * Fields never compared (clocks, generated ids): a bare name (`sentAt`) ignores that field
   * anywhere in a body; a path (`body.header.messageId`, `body.lines[].id`, `body.*.ts`)
   * ignores just that place, `[]` standing for any index and `*` for any one key.
   */
  ignore?: readonly string[];
}

/** The path of a field with array indices dropped: the name differences are counted under. */
export function fieldName(field: string): string {
  return field.replace(/\[\d+\]/g, '[]');
}

function ignored(field: string, ignore: readonly string[]): boolean {
  const general = fieldName(field);
  const last =
    general
      .split(/[.[\]]+/)
      .filter(Boolean)
      .pop() ?? '';
  return ignore.some((pattern) => {
    if (!/[.[]/.test(pattern)) return pattern === last;
    const re = new RegExp(
      `^${pattern
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^.[\\]]+')}$`,
    );
    return re.test(general);
  });
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every leaf where `a` and `b` differ, field by field (arrays index by index). */
export function bodyDifferences(
  a: JsonValue | undefined,
  b: JsonValue | undefined,
  at = 'body',
): { field: string; a: JsonValue | undefined; b: JsonValue | undefined }[] {
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => bodyDifferences(a[k], b[k], `${at}.${k}`));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    return Array.from({ length: n }, (_, i) => bodyDifferences(a[i], b[i], `${at}[${i}]`)).flat();
  }
  return isDeepStrictEqual(a, b) ? [] : [{ field: at, a, b }];
}

/** Path and query of a URL: the host is the environment's, the same for both versions. */
export function requestPath(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

/**
 * Pairs the shadow run's requests with the active run's: first by node id (through the
 * mapping), then the rest by order.
 */
export function pairRequests(
  a: readonly OutboundRequest[],
  b: readonly OutboundRequest[],
  mapping: Readonly<Record<string, string>> = {},
): {
  pairs: [OutboundRequest, OutboundRequest][];
  onlyInA: OutboundRequest[];
  onlyInB: OutboundRequest[];
} {
  const leftA = [...a];
  const leftB: OutboundRequest[] = [];
  const pairs: [OutboundRequest, OutboundRequest][] = [];
  for (const request of b) {
    const target = mapping[request.nodeId] ?? request.nodeId;
    const i = leftA.findIndex((r) => r.nodeId === target);
    if (i >= 0) pairs.push([leftA.splice(i, 1)[0] as OutboundRequest, request]);
    else leftB.push(request);
  }
  const n = Math.min(leftA.length, leftB.length);
  for (let i = 0; i < n; i += 1) {
    pairs.push([leftA[i] as OutboundRequest, leftB[i] as OutboundRequest]);
  }
  return { pairs, onlyInA: leftA.slice(n), onlyInB: leftB.slice(n) };
}

/**
 * Compares what the active run sent with what the shadow run would have sent, and how both
 * ended. Identical means: the same requests (method, path, body field by field, ignored fields
 * aside) and the same final status.
 */
export function compareRuns(
  a: { requests: readonly OutboundRequest[]; status: string },
  b: { requests: readonly OutboundRequest[]; status: string },
  options: CompareOptions = {},
): PairComparison {
  const ignore = options.ignore ?? [];
  const { pairs, onlyInA, onlyInB } = pairRequests(a.requests, b.requests, options.mapping);
  const differences: FieldDifference[] = [];
  for (const [ra, rb] of pairs) {
    const nodeId = rb.nodeId;
    if (ra.method !== rb.method)
      differences.push({ field: 'method', a: ra.method, b: rb.method, nodeId });
    const pa = requestPath(ra.url);
    const pb = requestPath(rb.url);
    if (pa !== pb) differences.push({ field: 'path', a: pa, b: pb, nodeId });
    for (const d of bodyDifferences(ra.body, rb.body)) {
      if (!ignored(d.field, ignore)) differences.push({ ...d, nodeId });
    }
  }
  if (a.status !== b.status) differences.push({ field: 'status', a: a.status, b: b.status });
  const outcome: PairOutcome =
    differences.length > 0
      ? 'differing'
      : onlyInA.length > 0
        ? 'only-in-a'
        : onlyInB.length > 0
          ? 'only-in-b'
          : 'identical';
  return { outcome, differences, onlyInA, onlyInB };
}
