import { describe, expect, it } from 'vitest';
import { suggestTestCaseName, TEST_CASE_NAME } from './save-test-case';

describe('test case names', () => {
  it('suggests a valid name from the first business key, else from the run id', () => {
    expect(suggestTestCaseName({ id: 'run_1', businessKeys: { order: 'SO 100/45' } })).toBe(
      'order-so-100-45',
    );
    expect(suggestTestCaseName({ id: 'run_ab12', businessKeys: {} })).toBe('run-ab12');
    expect(
      TEST_CASE_NAME.test(suggestTestCaseName({ id: 'run_x', businessKeys: { '': '' } })),
    ).toBe(true);
  });
});
