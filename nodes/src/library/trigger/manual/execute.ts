import { emit, type NodeExecutor } from '../../../sdk/executor-types';

export const executeManual: NodeExecutor = async (input) => emit(input.payload);
