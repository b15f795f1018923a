import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  environmentSchema,
  flowSchema,
  formatJson,
  processSchema,
  reconciliationSchema,
  tradingPartnerSchema,
} from '@crossdock/nodes';
import { openApiDocument } from '@crossdock/nodes/api';
import { flowsDir } from '../environments';
import { displayPath } from '../files';

/**
 * The JSON Schema files editors use and the API's OpenAPI document (`docs/openapi.json`, beside
 * the flows folder), written from the schemas in code.
 */
export function schemaFiles(): { file: string; text: string }[] {
  const dir = flowsDir();
  return [
    { file: path.join(dir, 'flow.schema.json'), text: formatJson(flowSchema) },
    { file: path.join(dir, 'process.schema.json'), text: formatJson(processSchema) },
    {
      file: path.join(dir, 'reconciliation.schema.json'),
      text: formatJson(reconciliationSchema),
    },
    {
      file: path.join(dir, 'environments', 'environment.schema.json'),
      text: formatJson(environmentSchema),
    },
    {
      file: path.join(dir, 'partners', 'partner.schema.json'),
      text: formatJson(tradingPartnerSchema as never),
    },
    {
      file: path.join(path.dirname(dir), 'docs', 'openapi.json'),
      text: formatJson(openApiDocument() as never),
    },
  ];
}

export async function schemaCommand(options: { check?: boolean }): Promise<number> {
  let stale = 0;
  for (const { file, text } of schemaFiles()) {
    const current = await readFile(file, 'utf8').catch(() => '');
    if (current === text) continue;
    stale += 1;
    if (options.check) process.stdout.write(`${file}: out of date (run: pnpm crossdock schema)\n`);
    else {
      await writeFile(file, text);
      process.stdout.write(`${file}: written\n`);
    }
  }
  if (stale === 0) {
    const files = schemaFiles().map(({ file }) => displayPath(file));
    process.stdout.write(`ok   ${files.join(', ')} up to date\n`);
  }
  return options.check && stale > 0 ? 1 : 0;
}
