/**
 * Node-only entry point: the executors of the built-in node types. The designer never imports
 * this; the runtime does.
 */
import { executeAmqpPublish } from './library/connectors/amqp-publish/execute';
import { executeCarrierConnector } from './library/connectors/carrier/execute';
import { executeCsvGenerate } from './library/connectors/csv/generate/execute';
import { executeCsvParse } from './library/connectors/csv/parse/execute';
import { executeEdiGenerate } from './library/connectors/edi/generate/execute';
import { executeEdiParse } from './library/connectors/edi/parse/execute';
import { executeErpConnector } from './library/connectors/erp/execute';
import { executeHttp } from './library/connectors/http/execute';
import { executeMqttPublish } from './library/connectors/mqtt-publish/execute';
import { executeNatsPublish } from './library/connectors/nats-publish/execute';
import { executeSftpGet } from './library/connectors/sftp/get/execute';
import { executeSftpPut } from './library/connectors/sftp/put/execute';
import { executeSqlExecute } from './library/connectors/sql/execute/execute';
import { executeSqlQuery } from './library/connectors/sql/query/execute';
import { executeTmsConnector } from './library/connectors/tms/execute';
import { executeWmsConnector } from './library/connectors/wms/execute';
import { executeCatch } from './library/exceptions/catch/execute';
import { executeCompensate } from './library/exceptions/compensate/execute';
import { executeDeadLetter } from './library/exceptions/dead-letter/execute';
import { executeNotify } from './library/exceptions/notify/execute';
import { executeAggregate } from './library/flow/aggregate/execute';
import { executeDelay } from './library/flow/delay/execute';
import { executeMilestone } from './library/flow/milestone/execute';
import { executeRespond } from './library/flow/respond/execute';
import { executeSplit } from './library/flow/split/execute';
import { executeMap } from './library/mapping/map/execute';
import { executeBranchRule } from './library/rules/branch/execute';
import { executeFilterRule } from './library/rules/filter/execute';
import { executeSwitchRule } from './library/rules/switch/execute';
import { executeValidateRule } from './library/rules/validate/execute';
import { executeBrokerTrigger } from './library/triggers/broker-trigger';
import { executeManualTrigger } from './library/triggers/manual/execute';
import { executeScheduleTrigger } from './library/triggers/schedule/execute';
import { executeSftpTrigger } from './library/triggers/sftp/execute';
import { executeWebhookTrigger } from './library/triggers/webhook/execute';
import type { NodeExecutor } from './sdk/executor-types';

export const executors: Readonly<Record<string, NodeExecutor>> = {
  'trigger.manual': executeManualTrigger,
  'trigger.webhook': executeWebhookTrigger,
  'trigger.schedule': executeScheduleTrigger,
  'trigger.sftp': executeSftpTrigger,
  'trigger.amqp': executeBrokerTrigger,
  'trigger.nats': executeBrokerTrigger,
  'trigger.mqtt': executeBrokerTrigger,
  'connector.http': executeHttp,
  'connector.erp': executeErpConnector,
  'connector.wms': executeWmsConnector,
  'connector.tms': executeTmsConnector,
  'connector.carrier': executeCarrierConnector,
  'connector.amqp-publish': executeAmqpPublish,
  'connector.nats-publish': executeNatsPublish,
  'connector.mqtt-publish': executeMqttPublish,
  'connector.edi-parse': executeEdiParse,
  'connector.edi-generate': executeEdiGenerate,
  'connector.csv-parse': executeCsvParse,
  'connector.csv-generate': executeCsvGenerate,
  'connector.sql-query': executeSqlQuery,
  'connector.sql-execute': executeSqlExecute,
  'connector.sftp-put': executeSftpPut,
  'connector.sftp-get': executeSftpGet,
  'mapping.map': executeMap,
  'rule.branch': executeBranchRule,
  'rule.switch': executeSwitchRule,
  'rule.filter': executeFilterRule,
  'rule.validate': executeValidateRule,
  'exception.catch': executeCatch,
  'exception.dead-letter': executeDeadLetter,
  'exception.compensate': executeCompensate,
  'exception.notify': executeNotify,
  'flow.split': executeSplit,
  'flow.aggregate': executeAggregate,
  'flow.delay': executeDelay,
  'flow.milestone': executeMilestone,
  'flow.respond': executeRespond,
};

export type { NodeContext, NodeExecutor, NodeInput, NodeResult } from './sdk/executor-types';
