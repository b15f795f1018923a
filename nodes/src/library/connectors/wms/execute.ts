import { operationExecutor } from '../run-operation';
import { WMS_OPERATIONS } from './manifest';

export const executeWmsConnector = operationExecutor(WMS_OPERATIONS);
