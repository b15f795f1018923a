import { describe, expect, it } from 'vitest';
import { contextLabel, fieldLabel, singular } from './field-labels';

describe('fieldLabel', () => {
  it('reads a camelCase key as words with units spelled out', () => {
    expect(fieldLabel('timeoutMs')).toBe('Timeout (ms)');
    expect(fieldLabel('signatureSecret')).toBe('Signature secret');
    expect(fieldLabel('senderId')).toBe('Sender ID');
    expect(fieldLabel('eol')).toBe('Line ending');
    expect(fieldLabel('path')).toBe('Path');
  });
});

describe('singular and contextLabel', () => {
  it('names list items by their list', () => {
    expect(singular('cases')).toBe('case');
    expect(singular('statuses')).toBe('status');
    expect(singular('routes')).toBe('route');
    expect(contextLabel(['cases', 1, 'condition'], 'Condition')).toBe('Condition of case 2');
    expect(contextLabel(['body'], 'Body')).toBe('Body');
    expect(contextLabel(['a', 0, 'b', 2, 'c'], 'C')).toBe('C of b 3 of a 1');
  });
});
