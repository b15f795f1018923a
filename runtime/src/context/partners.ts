import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadPartner, type TradingPartner } from '@crossdock/nodes';

/**
 * Loads `flows/partners/*.json`, the trading-partner profiles the EDI nodes name. No folder is
 * no partners; an invalid profile stops the start, naming the file and the problem.
 */
export function readPartnerFiles(flowsDir: string): TradingPartner[] {
  const dir = path.join(flowsDir, 'partners');
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'));
  } catch {
    return [];
  }
  return names.sort().map((name) => {
    const file = path.join(dir, name);
    const loaded = loadPartner(readFileSync(file, 'utf8'), path.basename(name, '.json'));
    if (!loaded.partner) {
      const first = loaded.diagnostics[0];
      throw new Error(
        `The trading partner file ${file} is invalid${first ? ` at ${first.path}: ${first.message}` : ''}.`,
      );
    }
    return loaded.partner;
  });
}
