import { emit, type NodeExecutor } from '../../../sdk/executor-types';

export const executeSftpTrigger: NodeExecutor = async (input) => emit(input.payload);
