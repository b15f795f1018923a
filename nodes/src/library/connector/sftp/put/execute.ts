import { PermanentError } from '../../../../sdk/errors';
import { emit, type NodeExecutor } from '../../../../sdk/executor-types';
import { renderRemotePath } from '../remote-path';

export const executeSftpPut: NodeExecutor = async (input, ctx) => {
  const path = renderRemotePath(String(ctx.config.path), input.payload);
  const value =
    ctx.config.content === undefined
      ? input.payload
      : ctx.evaluate(ctx.config.content, input.payload, { now: ctx.now() });
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const base64 = ctx.config.encoding === 'base64';
  if (base64 && !/^[A-Za-z0-9+/]*={0,2}$/.test(text))
    throw new PermanentError('invalid-input', 'The content is not base64 text.');
  const bytes = Buffer.from(text, base64 ? 'base64' : 'utf8');
  const written = await ctx.transport('sftp').write(path, bytes);
  return emit({ path: written.path, size: written.size });
};
