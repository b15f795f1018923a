import { type Diagnostic, diagnostic } from './diagnostics';
import { isJsonObject, type JsonObject, type JsonPath } from './json';

interface MappingNode {
  index: number;
  id: string;
  type: string;
  config: JsonObject;
}

function checkRows(
  node: MappingNode,
  rows: readonly unknown[],
  path: JsonPath,
  out: Diagnostic[],
): void {
  rows.forEach((row, i) => {
    if (!isJsonObject(row) || !isJsonObject(row.each)) return;
    const fields = row.each.fields;
    if (!Array.isArray(fields)) return;
    const at: JsonPath = [...path, i, 'each', 'fields'];
    if (fields.length === 0) {
      out.push(
        diagnostic(
          'warning',
          'mapping.each-empty',
          `Node "${node.id}" builds "${String(row.target)}" as a list of empty objects: map at least one field of each item.`,
          at,
          { nodeId: node.id },
        ),
      );
    }
    checkRows(node, fields, at, out);
  });
}

/**
 * Field mappings that are valid but map nothing: a mapping node with no field (its output is an
 * empty object unless it keeps the source) and an `each` whose items get no field. Warnings, since
 * a draft may be saved half done, but a run would send empty objects onwards.
 */
export function checkMappings(nodes: readonly MappingNode[], out: Diagnostic[]): void {
  for (const n of nodes) {
    if (n.type !== 'mapping.map' || !Array.isArray(n.config.fields)) continue;
    const path: JsonPath = ['nodes', n.index, 'config', 'fields'];
    if (n.config.fields.length === 0 && n.config.keepSource !== true) {
      out.push(
        diagnostic(
          'warning',
          'mapping.empty',
          `Node "${n.id}" maps no field, so its output is an empty object: add a target field, or keep the source.`,
          path,
          { nodeId: n.id },
        ),
      );
    }
    checkRows(n, n.config.fields, path, out);
  }
}
