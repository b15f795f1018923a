import { createCatalog } from '../sdk/catalog';
import type { NodeManifest } from '../sdk/manifest';
import { amqpPublishConnector } from './connector/amqp-publish/manifest';
import { carrierConnector } from './connector/carrier/manifest';
import { csvGenerateConnector } from './connector/csv/generate/manifest';
import { csvParseConnector } from './connector/csv/parse/manifest';
import { ediGenerateConnector } from './connector/edi/generate/manifest';
import { ediParseConnector } from './connector/edi/parse/manifest';
import { erpConnector } from './connector/erp/manifest';
import { httpConnector } from './connector/http/manifest';
import { mqttPublishConnector } from './connector/mqtt-publish/manifest';
import { natsPublishConnector } from './connector/nats-publish/manifest';
import { sftpGetConnector } from './connector/sftp/get/manifest';
import { sftpPutConnector } from './connector/sftp/put/manifest';
import { sqlExecuteConnector } from './connector/sql/execute/manifest';
import { sqlQueryConnector } from './connector/sql/query/manifest';
import { tmsConnector } from './connector/tms/manifest';
import { wmsConnector } from './connector/wms/manifest';
import { catchException } from './exception/catch/manifest';
import { compensateException } from './exception/compensate/manifest';
import { deadLetterException } from './exception/dead-letter/manifest';
import { notifyException } from './exception/notify/manifest';
import { aggregateFlow } from './flow/aggregate/manifest';
import { delayFlow } from './flow/delay/manifest';
import { milestoneFlow } from './flow/milestone/manifest';
import { respondFlow } from './flow/respond/manifest';
import { splitFlow } from './flow/split/manifest';
import { mapMapping } from './mapping/map/manifest';
import { branchRule } from './rule/branch/manifest';
import { filterRule } from './rule/filter/manifest';
import { switchRule } from './rule/switch/manifest';
import { validateRule } from './rule/validate/manifest';
import { amqpTrigger } from './trigger/amqp/manifest';
import { manualTrigger } from './trigger/manual/manifest';
import { mqttTrigger } from './trigger/mqtt/manifest';
import { natsTrigger } from './trigger/nats/manifest';
import { scheduleTrigger } from './trigger/schedule/manifest';
import { sftpTrigger } from './trigger/sftp/manifest';
import { webhookTrigger } from './trigger/webhook/manifest';

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
  mapMapping,
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
