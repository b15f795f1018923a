import { emit, type NodeExecutor } from '../../../../sdk/executor-types';
import { prepareStatement } from '../statement';

export const executeSqlExecute: NodeExecutor = async (input, ctx) => {
  const { sql, statement, params } = prepareStatement(input, ctx);
  const result = await sql.execute(statement, params);
  return emit({ rowCount: result.rowCount, rows: result.rows });
};
