import { operationExecutor } from '../run-operation';
import { ERP_OPERATIONS } from './manifest';

export const executeErpConnector = operationExecutor(ERP_OPERATIONS);
