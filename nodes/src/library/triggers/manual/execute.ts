import { emit, type NodeExecutor } from '../../../sdk/executor-types';

export const executeManualTrigger: NodeExecutor = async (input) => emit(input.payload);
