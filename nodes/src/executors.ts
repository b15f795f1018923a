/**
 * Node-only entry point: the executors of the built-in node types. The designer never imports
 * this; the runtime does.
 */
import { executeCsvGenerate } from './library/connectors/csv/generate/execute';
import { executeCsvParse } from './library/connectors/csv/parse/execute';
import { executeEdiGenerate } from './library/connectors/edi/generate/execute';
import { executeEdiParse } from './library/connectors/edi/parse/execute';
import { executeMap } from './library/mapping/map/execute';
import { executeBranchRule } from './library/rules/branch/execute';
import { executeManualTrigger } from './library/triggers/manual/execute';
import { executeWebhookTrigger } from './library/triggers/webhook/execute';
import type { NodeExecutor } from './sdk/executor-types';

export const executors: Readonly<Record<string, NodeExecutor>> = {
  'trigger.manual': executeManualTrigger,
  'trigger.webhook': executeWebhookTrigger,
  'connector.edi-parse': executeEdiParse,
  'connector.edi-generate': executeEdiGenerate,
  'connector.csv-parse': executeCsvParse,
  'connector.csv-generate': executeCsvGenerate,
  'mapping.map': executeMap,
  'rule.branch': executeBranchRule,
};

export type { NodeContext, NodeExecutor, NodeInput, NodeResult } from './sdk/executor-types';
