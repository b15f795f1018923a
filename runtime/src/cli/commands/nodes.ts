import { catalog, summarizeNodes } from '@crossdock/nodes';

/** Lists the node types with category and ports, as text or JSON. */
export function nodesCommand(options: { json?: boolean }): number {
  const nodes = summarizeNodes(catalog.list());
  if (options.json) {
    process.stdout.write(`${JSON.stringify(nodes, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...nodes.map((n) => n.type.length));
  for (const n of nodes) {
    const dynamic = n.dynamicOutputs ? ` + ${n.dynamicOutputs.from}[].${n.dynamicOutputs.key}` : '';
    const inputs = n.inputs.length ? n.inputs.join(', ') : '-';
    process.stdout.write(
      `${n.type.padEnd(width)}  ${n.category.padEnd(9)}  in: ${inputs}  out: ${n.outputs.join(', ')}${dynamic}\n`,
    );
  }
  return 0;
}
