import { describe, expect, it } from 'vitest';
import { compileRoutePattern, matchesRoute } from './route-pattern';

describe('route patterns', () => {
  it.each([
    ['POST /orders/:id/hold', 'POST', '/orders/0000100001/hold', true],
    ['POST /orders/:id/hold', 'PUT', '/orders/0000100001/hold', false],
    ['/orders/:id/hold', 'PUT', '/orders/0000100001/hold', true],
    ['/orders/:id', 'GET', '/orders/1/hold', false],
    ['/fulfillment-orders*', 'GET', '/fulfillment-orders/FO-1', true],
    ['*', 'DELETE', '/anything/at/all', true],
    ['* /a.b', 'GET', '/aXb', false],
    ['carrier/edi-*', 'POST', 'carrier/edi-214', true],
  ])('%s against %s %s is %s', (pattern, method, path, expected) => {
    expect(matchesRoute(compileRoutePattern(pattern), method, path)).toBe(expected);
  });
});
