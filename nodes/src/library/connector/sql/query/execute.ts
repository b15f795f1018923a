import { emit, type NodeExecutor } from '../../../../sdk/executor-types';
import { prepareStatement } from '../statement';

export const executeSqlQuery: NodeExecutor = async (input, ctx) => {
  const { sql, statement, params } = prepareStatement(input, ctx);
  const maxRows = typeof ctx.config.maxRows === 'number' ? ctx.config.maxRows : 1000;
  const result = await sql.query(statement, params, { maxRows });
  if (result.truncated)
    ctx.log.warn('the query had more rows than maxRows; the rest were left out', { maxRows });
  return emit(result.rows);
};
