import { operationExecutor } from '../run-operation';
import { TMS_OPERATIONS } from './manifest';

export const executeTmsConnector = operationExecutor(TMS_OPERATIONS);
