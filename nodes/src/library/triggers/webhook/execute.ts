import { emit, type NodeExecutor } from '../../../sdk/executor-types';

export const executeWebhookTrigger: NodeExecutor = async (input) => emit(input.payload);
