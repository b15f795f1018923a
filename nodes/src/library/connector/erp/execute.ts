import { operationExecutor } from '../run-operation';
import { ERP_OPERATIONS } from './manifest';

export const executeErp = operationExecutor(ERP_OPERATIONS);
