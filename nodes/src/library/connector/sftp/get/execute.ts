import { emit, type NodeExecutor } from '../../../../sdk/executor-types';
import { renderRemotePath } from '../remote-path';

export const executeSftpGet: NodeExecutor = async (input, ctx) => {
  const path = renderRemotePath(String(ctx.config.path), input.payload);
  const maxBytes = typeof ctx.config.maxBytes === 'number' ? ctx.config.maxBytes : 10_485_760;
  const bytes = Buffer.from(await ctx.transport('sftp').read(path, { maxBytes }));
  const content = bytes.toString(ctx.config.encoding === 'base64' ? 'base64' : 'utf8');
  return emit({ path, size: bytes.byteLength, content });
};
