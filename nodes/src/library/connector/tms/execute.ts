import { operationExecutor } from '../run-operation';
import { TMS_OPERATIONS } from './manifest';

export const executeTms = operationExecutor(TMS_OPERATIONS);
