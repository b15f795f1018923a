/**
 * The isomorphic core of Crossdock: flow document model, validator, formatter, node contract,
 * expressions and the catalog of built-in node manifests. Imports nothing Node-only, so the
 * designer bundles it for the browser.
 */
export {
  COUNTRY_PATTERN,
  CURRENCY_CODES,
  LENGTH_UNITS,
  type LengthUnit,
  SCAC_PATTERN,
  SERVICE_LEVELS,
  type ServiceLevel,
  TRANSPORT_MODES,
  type TransportMode,
  UN_LOCODE_PATTERN,
  UNIT_CODES,
  type UnitCode,
  VOLUME_UNITS,
  type VolumeUnit,
  WEIGHT_UNITS,
  type WeightUnit,
} from './canonical/codes';
export { canonicalExamples, shippedFulfillmentOrderExample } from './canonical/examples';
export {
  GLN_PATTERN,
  GTIN_PATTERN,
  gs1CheckDigit,
  hasValidGs1CheckDigit,
  isGln,
  isGtin,
  isSscc,
  SSCC_PATTERN,
} from './canonical/gs1';
export {
  MILESTONE_STATUSES,
  type MilestoneStatus,
  milestoneStatusOf,
  X12_214_STATUS_CODES,
  type X12StatusCode,
  x12CodeOf,
} from './canonical/milestones';
export { CANONICAL_TYPES, canonicalSchemas } from './canonical/schemas';
export type * from './canonical/types';
export { isCanonical, isCanonicalType, validateCanonical } from './canonical/validate';
export {
  type NodeSummary,
  type ReferenceSample,
  renderNodeReference,
  summarizeNodes,
} from './docs/node-reference';
export { controlNumberFrom } from './edi/control-number';
export type { Interchange, InterchangeHeader } from './edi/envelope';
export {
  type EdiDocument,
  formatProblem,
  type ParseOptions,
  type ParseResult,
  parseX12,
  splitProblems,
  streamX12,
  X12Reader,
  type X12StreamEvent,
} from './edi/parse';
export {
  findPartner,
  type LoadedPartner,
  loadPartner,
  partnerEnvelope,
  partnerParseOptions,
  type TradingPartner,
  tradingPartnerSchema,
} from './edi/partners';
export {
  type EdiValueType,
  isTransactionSetId,
  SET_VALUE_TYPES,
  TRANSACTION_SET_IDS,
  type TransactionSetId,
  type TransactionSetValues,
} from './edi/registry';
export type { FunctionalAcknowledgment, SetAcknowledgment } from './edi/sets/x997';
export type { Delimiters, EdiProblem } from './edi/types';
export {
  type AckOptions,
  type EnvelopeSettings,
  generateAck,
  generateX12,
  type OutgoingDocument,
} from './edi/write';
export { MAX_RESPONSE_BYTES, readCappedBytes } from './library/connector/http/body';
export { catalog, manifests } from './library/manifests';
export { MAX_REPLY_TIMEOUT_MS } from './library/trigger/webhook/manifest';
export { type Activation, activationsOf } from './sdk/activation';
export { type Catalog, createCatalog } from './sdk/catalog';
export * from './sdk/connections';
export type { SftpCapability, SftpEntry } from './sdk/connections/sftp-capability';
export { checkRemotePath, remoteFolder, remoteJoin } from './sdk/connections/sftp-path';
export type { SqlCapability, SqlParam, SqlRows } from './sdk/connections/sql-capability';
export { type Diagnostic, type DiagnosticCode, hasErrors, type Severity } from './sdk/diagnostics';
export { type DiffOptions, describeFlowChange, diffFlows, type FlowChange } from './sdk/diff';
export {
  type ConnectionAuth,
  declaredSecrets,
  type Environment,
  environmentSchema,
} from './sdk/environment';
export * from './sdk/errors';
export * from './sdk/executor-types';
export { findExpressions } from './sdk/expression-fields';
export {
  type BudgetLimit,
  DEFAULT_EXPRESSION_BUDGET,
  type ExpressionBudget,
} from './sdk/expressions/budget';
export { checkExpression, type ExpressionProblem } from './sdk/expressions/check';
export {
  evaluate,
  evaluateWithin,
  resolveBudget,
  truthy,
} from './sdk/expressions/evaluate';
export {
  CROSSDOCK_OPERATIONS,
  FORBIDDEN_KEYS,
  JSON_LOGIC_OPERATIONS,
  KNOWN_OPERATIONS,
  type OperationSpec,
  readPath,
} from './sdk/expressions/operations';
export { expressionToText } from './sdk/expressions/to-text';
export { flowSchema } from './sdk/flow-schema';
export * from './sdk/flow-types';
export { canonicalFlow, formatFlow, formatJson } from './sdk/format';
export {
  formatJsonPath,
  isJsonObject,
  type JsonObject,
  type JsonPath,
  type JsonPrimitive,
  type JsonValue,
} from './sdk/json';
export {
  type LoadedEnvironment,
  type LoadedFlow,
  loadEnvironment,
  loadFlow,
  migrateFlow,
} from './sdk/load';
export {
  type ConfigSchema,
  type DynamicPorts,
  defineNode,
  NODE_CATEGORIES,
  type NodeCategory,
  type NodeManifest,
  outputPorts,
  type PortSpec,
  type TriggerActivation,
} from './sdk/manifest';
export { type ParsedJson, parseJson } from './sdk/parse';
export { durationMs } from './sdk/process/duration';
export { formatProcess } from './sdk/process/process-format';
export { type LoadedProcess, loadProcess } from './sdk/process/process-load';
export { processSchema } from './sdk/process/process-schema';
export * from './sdk/process/process-types';
export { type ProcessValidateOptions, validateProcess } from './sdk/process/process-validate';
export * from './sdk/reconciliation/reconciliation-compare';
export { formatReconciliation } from './sdk/reconciliation/reconciliation-format';
export {
  type LoadedReconciliation,
  loadReconciliation,
} from './sdk/reconciliation/reconciliation-load';
export { reconciliationSchema } from './sdk/reconciliation/reconciliation-schema';
export * from './sdk/reconciliation/reconciliation-types';
export {
  type ReconciliationValidateOptions,
  validateReconciliation,
} from './sdk/reconciliation/reconciliation-validate';
export { checkSchema, type SchemaProblem } from './sdk/schema-check';
export { type ValidateOptions, validateFlow } from './sdk/validate';
