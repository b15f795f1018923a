import { emit, type NodeExecutor } from '../../../sdk/executor-types';

export const executeWebhook: NodeExecutor = async (input) => emit(input.payload);
