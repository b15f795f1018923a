import { emit, type NodeExecutor } from '../../../sdk/executor-types';

export const executeSftp: NodeExecutor = async (input) => emit(input.payload);
