import { createCatalog } from '../sdk/catalog';
import type { NodeManifest } from '../sdk/manifest';
import { csvGenerateConnector } from './connectors/csv/generate/manifest';
import { csvParseConnector } from './connectors/csv/parse/manifest';
import { ediGenerateConnector } from './connectors/edi/generate/manifest';
import { ediParseConnector } from './connectors/edi/parse/manifest';
import { httpConnector } from './connectors/http/manifest';
import { mapNode } from './mapping/map/manifest';
import { branchRule } from './rules/branch/manifest';
import { manualTrigger } from './triggers/manual/manifest';
import { webhookTrigger } from './triggers/webhook/manifest';

/** Every node type Crossdock ships, in palette order. */
export const manifests: readonly NodeManifest[] = [
  manualTrigger,
  webhookTrigger,
  httpConnector,
  ediParseConnector,
  ediGenerateConnector,
  csvParseConnector,
  csvGenerateConnector,
  mapNode,
  branchRule,
];

/** The catalog of the built-in node types. */
export const catalog = createCatalog(manifests);
