export type { CarrierState } from './carrier/model';
export type { ErpState } from './erp/model';
export type { Fault, FaultSpec } from './kernel/faults';
export type { ReceivedRequest } from './kernel/received';
export { readStateFile, removeStateFile, StateFileError } from './kernel/state-file';
export type { Delivery, EventOutlet } from './kernel/webhooks';
export type {
  PartnerName,
  PartnerOptions,
  PartnerStatus,
  Partners,
} from './partners/partners';
export { type SftpDrop, startSftpDrop } from './partners/sftp-drop';
export { type StagedOrder, StagingDb } from './partners/staging-db';
export { type Sandbox, type SandboxOptions, type SandboxSecrets, startSandbox } from './sandbox';
export type { TmsState } from './tms/model';
export type { WmsState } from './wms/model';
