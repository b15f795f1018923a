import { operationExecutor } from '../run-operation';
import { WMS_OPERATIONS } from './manifest';

export const executeWms = operationExecutor(WMS_OPERATIONS);
