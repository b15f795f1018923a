import { operationExecutor } from '../run-operation';
import { CARRIER_OPERATIONS } from './manifest';

export const executeCarrier = operationExecutor(CARRIER_OPERATIONS);
