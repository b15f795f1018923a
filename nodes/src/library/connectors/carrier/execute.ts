import { operationExecutor } from '../run-operation';
import { CARRIER_OPERATIONS } from './manifest';

export const executeCarrierConnector = operationExecutor(CARRIER_OPERATIONS);
