import { createCatalog } from '../sdk/catalog';
import type { NodeManifest } from '../sdk/manifest';
import { amqpPublishConnector } from './connectors/amqp-publish/manifest';
import { carrierConnector } from './connectors/carrier/manifest';
import { csvGenerateConnector } from './connectors/csv/generate/manifest';
import { csvParseConnector } from './connectors/csv/parse/manifest';
import { ediGenerateConnector } from './connectors/edi/generate/manifest';
import { ediParseConnector } from './connectors/edi/parse/manifest';
import { erpConnector } from './connectors/erp/manifest';
import { httpConnector } from './connectors/http/manifest';
import { mqttPublishConnector } from './connectors/mqtt-publish/manifest';
import { natsPublishConnector } from './connectors/nats-publish/manifest';
import { sftpGetConnector } from './connectors/sftp/get/manifest';
import { sftpPutConnector } from './connectors/sftp/put/manifest';
import { sqlExecuteConnector } from './connectors/sql/execute/manifest';
import { sqlQueryConnector } from './connectors/sql/query/manifest';
import { tmsConnector } from './connectors/tms/manifest';
import { wmsConnector } from './connectors/wms/manifest';
import { catchException } from './exceptions/catch/manifest';
import { compensateException } from './exceptions/compensate/manifest';
import { deadLetterException } from './exceptions/dead-letter/manifest';
import { notifyException } from './exceptions/notify/manifest';
import { aggregateFlow } from './flow/aggregate/manifest';
import { delayFlow } from './flow/delay/manifest';
import { milestoneFlow } from './flow/milestone/manifest';
import { respondFlow } from './flow/respond/manifest';
import { splitFlow } from './flow/split/manifest';
import { mapNode } from './mapping/map/manifest';
import { branchRule } from './rules/branch/manifest';
import { filterRule } from './rules/filter/manifest';
import { switchRule } from './rules/switch/manifest';
import { validateRule } from './rules/validate/manifest';
import { amqpTrigger } from './triggers/amqp/manifest';
import { manualTrigger } from './triggers/manual/manifest';
import { mqttTrigger } from './triggers/mqtt/manifest';
import { natsTrigger } from './triggers/nats/manifest';
import { scheduleTrigger } from './triggers/schedule/manifest';
import { sftpTrigger } from './triggers/sftp/manifest';
import { webhookTrigger } from './triggers/webhook/manifest';

/** Every node type Crossdock ships, in palette order. */
export const manifests: readonly NodeManifest[] = [
  manualTrigger,
  webhookTrigger,
  scheduleTrigger,
  sftpTrigger,
  amqpTrigger,
  natsTrigger,
  mqttTrigger,
  httpConnector,
  erpConnector,
  wmsConnector,
  tmsConnector,
  carrierConnector,
  amqpPublishConnector,
  natsPublishConnector,
  mqttPublishConnector,
  ediParseConnector,
  ediGenerateConnector,
  csvParseConnector,
  csvGenerateConnector,
  sqlQueryConnector,
  sqlExecuteConnector,
  sftpPutConnector,
  sftpGetConnector,
  mapNode,
  branchRule,
  switchRule,
  filterRule,
  validateRule,
  catchException,
  deadLetterException,
  compensateException,
  notifyException,
  splitFlow,
  aggregateFlow,
  delayFlow,
  milestoneFlow,
  respondFlow,
];

/** The catalog of the built-in node types. */
export const catalog = createCatalog(manifests);
