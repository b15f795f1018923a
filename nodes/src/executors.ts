/**
 * Node-only entry point: the executors of the built-in node types. The designer never imports
 * this; the runtime does.
 */
import { executeAmqpPublish } from './library/connector/amqp-publish/execute';
import { executeCarrier } from './library/connector/carrier/execute';
import { executeCsvGenerate } from './library/connector/csv/generate/execute';
import { executeCsvParse } from './library/connector/csv/parse/execute';
import { executeEdiGenerate } from './library/connector/edi/generate/execute';
import { executeEdiParse } from './library/connector/edi/parse/execute';
import { executeErp } from './library/connector/erp/execute';
import { executeHttp } from './library/connector/http/execute';
import { executeMqttPublish } from './library/connector/mqtt-publish/execute';
import { executeNatsPublish } from './library/connector/nats-publish/execute';
import { executeSftpGet } from './library/connector/sftp/get/execute';
import { executeSftpPut } from './library/connector/sftp/put/execute';
import { executeSqlExecute } from './library/connector/sql/execute/execute';
import { executeSqlQuery } from './library/connector/sql/query/execute';
import { executeTms } from './library/connector/tms/execute';
import { executeWms } from './library/connector/wms/execute';
import { executeCatch } from './library/exception/catch/execute';
import { executeCompensate } from './library/exception/compensate/execute';
import { executeDeadLetter } from './library/exception/dead-letter/execute';
import { executeNotify } from './library/exception/notify/execute';
import { executeAggregate } from './library/flow/aggregate/execute';
import { executeDelay } from './library/flow/delay/execute';
import { executeMilestone } from './library/flow/milestone/execute';
import { executeRespond } from './library/flow/respond/execute';
import { executeSplit } from './library/flow/split/execute';
import { executeMap } from './library/mapping/map/execute';
import { executeBranch } from './library/rule/branch/execute';
import { executeFilter } from './library/rule/filter/execute';
import { executeSwitch } from './library/rule/switch/execute';
import { executeValidate } from './library/rule/validate/execute';
import { executeBrokerTrigger } from './library/trigger/broker-trigger';
import { executeManual } from './library/trigger/manual/execute';
import { executeSchedule } from './library/trigger/schedule/execute';
import { executeSftp } from './library/trigger/sftp/execute';
import { executeWebhook } from './library/trigger/webhook/execute';
import type { NodeExecutor } from './sdk/executor-types';

export const executors: Readonly<Record<string, NodeExecutor>> = {
  'trigger.manual': executeManual,
  'trigger.webhook': executeWebhook,
  'trigger.schedule': executeSchedule,
  'trigger.sftp': executeSftp,
  'trigger.amqp': executeBrokerTrigger,
  'trigger.nats': executeBrokerTrigger,
  'trigger.mqtt': executeBrokerTrigger,
  'connector.http': executeHttp,
  'connector.erp': executeErp,
  'connector.wms': executeWms,
  'connector.tms': executeTms,
  'connector.carrier': executeCarrier,
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
  'rule.branch': executeBranch,
  'rule.switch': executeSwitch,
  'rule.filter': executeFilter,
  'rule.validate': executeValidate,
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
