import {
  type FlowNode,
  type JsonValue,
  type NodeExecutor,
  PermanentError,
  type ReconciliationRead,
  readPath,
} from '@crossdock/nodes';
import type { ContextDeps } from '../context/node-context';
import { runSingleStep } from '../context/single-step';

/** Beyond this many pages a read stops and says so: a paging loop that never ends is a bug. */
const DEFAULT_MAX_PAGES = 1_000;

function listOf(body: JsonValue | undefined, read: ReconciliationRead): JsonValue[] {
  const found = read.items ? readPath(body, read.items, null) : (body ?? null);
  if (!Array.isArray(found)) {
    throw new PermanentError(
      'invalid-input',
      `${read.system} ${read.path ?? read.node?.type} answered without a list${read.items ? ` at "${read.items}"` : ''}.`,
    );
  }
  return found;
}

/**
 * Reads one side of a stream: GET through `connector.http` on the named connection (its auth,
 * hosts, rate limit and error classes), page by page until a page comes back short; or the
 * declared node, once.
 */
export async function readSide(options: {
  read: ReconciliationRead;
  deps: ContextDeps;
  executors: Readonly<Record<string, NodeExecutor>>;
  /** The reconciliation run: traced in logs as the correlation id. */
  runId: string;
  timeoutMs: number;
}): Promise<JsonValue[]> {
  const { read } = options;
  const records: JsonValue[] = [];
  const paging = read.paging;
  const maxPages = paging?.maxPages ?? DEFAULT_MAX_PAGES;
  for (let pageNo = 0; ; pageNo++) {
    if (pageNo >= maxPages) {
      throw new PermanentError(
        'invalid-input',
        `${read.system} ${read.path}: more than ${maxPages} pages; raise paging.maxPages or narrow the read.`,
      );
    }
    const query: Record<string, JsonValue> = { ...(read.query ?? {}) };
    if (paging) {
      query[paging.offsetParam] = String(pageNo * paging.pageSize);
      query[paging.limitParam] = String(paging.pageSize);
    }
    const node: FlowNode = {
      id: `read-${read.system}`,
      type: read.node?.type ?? 'connector.http',
      name: `Read ${read.system}`,
      position: { x: 0, y: 0 },
      config: read.node
        ? (read.node.config as FlowNode['config'])
        : {
            connection: read.connection ?? '',
            method: 'GET',
            path: read.path ?? '/',
            query,
            output: 'body',
          },
    };
    const result = await runSingleStep({
      deps: options.deps,
      executors: options.executors,
      node,
      payload: {},
      owner: 'reconciliation',
      correlationId: options.runId,
      runId: options.runId,
      timeoutMs: options.timeoutMs,
    });
    const page = listOf(result.emissions[0]?.payload, read);
    records.push(...page);
    if (!paging || page.length < paging.pageSize) return records;
  }
}
