/**
 * Node-only entry point: the executors of the built-in node types. The designer never imports
 * this; the runtime does.
 */
import { executeHttp } from './library/connectors/http/execute';
import { executeMap } from './library/mapping/map/execute';
import { executeBranchRule } from './library/rules/branch/execute';
import { executeManualTrigger } from './library/triggers/manual/execute';
import { executeWebhookTrigger } from './library/triggers/webhook/execute';
import type { NodeExecutor } from './sdk/executor-types';

export const executors: Readonly<Record<string, NodeExecutor>> = {
  'trigger.manual': executeManualTrigger,
  'trigger.webhook': executeWebhookTrigger,
  'connector.http': executeHttp,
  'mapping.map': executeMap,
  'rule.branch': executeBranchRule,
};

export type { NodeContext, NodeExecutor, NodeInput, NodeResult } from './sdk/executor-types';
