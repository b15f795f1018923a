import { describe, expect, it } from 'vitest';
import {
  assertApiKeysConfigured,
  assertSafeBinding,
  ConfigError,
  DEV_API_KEY,
  isLoopbackHost,
  loadConfig,
} from './config';

describe('loadConfig', () => {
  it('falls back to the development key and documented defaults', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config.apiKeys.get(DEV_API_KEY)).toBe('admin');
    expect(config).toMatchObject({
      prefix: '{crossdock}',
      port: 8080,
      concurrency: 50,
      envName: 'dev',
      flowsDir: '/srv/app/flows',
    });
    expect(() => assertApiKeysConfigured(config)).not.toThrow();
  });

  it('parses role:key pairs and refuses bad ones, naming the variable', () => {
    const config = loadConfig({ CROSSDOCK_API_KEYS: 'viewer:abcdefgh, operator:ijklmnop' });
    expect([...config.apiKeys]).toEqual([
      ['abcdefgh', 'viewer'],
      ['ijklmnop', 'operator'],
    ]);
    expect(config.apiKeys.has(DEV_API_KEY)).toBe(false);
    expect(() => loadConfig({ CROSSDOCK_API_KEYS: 'boss:abcdefgh' })).toThrow(/CROSSDOCK_API_KEYS/);
    expect(() => loadConfig({ CROSSDOCK_API_KEYS: 'admin:short' })).toThrow(ConfigError);
    expect(() => loadConfig({ CROSSDOCK_CONCURRENCY: 'many' })).toThrow(/CROSSDOCK_CONCURRENCY/);
  });

  it('caps heap growth at 100% unless told otherwise, 0 leaving V8 its own factor', () => {
    expect(loadConfig({}).heapGrowthPercent).toBe(100);
    expect(loadConfig({ CROSSDOCK_HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent).toBe(0);
    expect(() => loadConfig({ CROSSDOCK_HEAP_GROWTH_PERCENT: '-5' })).toThrow(
      /CROSSDOCK_HEAP_GROWTH_PERCENT must be an integer >= 0/,
    );
    expect(() => loadConfig({ CROSSDOCK_HEAP_GROWTH_PERCENT: 'low' })).toThrow(ConfigError);
  });

  it('checkpoints around side effects with the flow cache on unless told the old way', () => {
    expect(loadConfig({})).toMatchObject({ checkpoint: 'side-effects', flowCache: true });
    expect(
      loadConfig({ CROSSDOCK_CHECKPOINT: 'every-step', CROSSDOCK_FLOW_CACHE: 'off' }),
    ).toMatchObject({ checkpoint: 'every-step', flowCache: false });
    expect(() => loadConfig({ CROSSDOCK_CHECKPOINT: 'never' })).toThrow(/CROSSDOCK_CHECKPOINT/);
    expect(() => loadConfig({ CROSSDOCK_FLOW_CACHE: 'yes' })).toThrow(ConfigError);
  });

  it('refuses the development key outside development', () => {
    expect(() => assertApiKeysConfigured(loadConfig({ CROSSDOCK_ENV: 'prod' }))).toThrow(
      /CROSSDOCK_API_KEYS/,
    );
    const keyed = loadConfig({ CROSSDOCK_ENV: 'prod', CROSSDOCK_API_KEYS: 'admin:0123456789' });
    expect(() => assertApiKeysConfigured(keyed)).not.toThrow();
  });

  it('listens on loopback by default, and never elsewhere with the development key', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(() => assertSafeBinding(loadConfig({}))).not.toThrow();
    expect(() => assertSafeBinding(loadConfig({ HOST: 'localhost' }))).not.toThrow();
    for (const host of ['0.0.0.0', '::', '192.0.2.2', 'crossdock.example.com']) {
      expect(() => assertSafeBinding(loadConfig({ HOST: host }))).toThrow(/development key/);
      expect(() =>
        assertSafeBinding(loadConfig({ HOST: host, CROSSDOCK_API_KEYS: 'admin:0123456789' })),
      ).not.toThrow();
    }
  });

  it('knows loopback in its spellings, and nothing that merely starts like it', () => {
    for (const h of [
      '127.0.0.1',
      '127.1.2.3',
      'localhost',
      'LOCALHOST',
      '::1',
      '[::1]',
      '::ffff:127.0.0.1',
    ])
      expect([h, isLoopbackHost(h)]).toEqual([h, true]);
    for (const h of [
      '',
      '0.0.0.0',
      '::',
      '127.0.0.1.evil.example',
      'localhost.evil.example',
      '10.0.0.1',
      '1127.0.0.1',
    ])
      expect([h, isLoopbackHost(h)]).toEqual([h, false]);
  });

  it('reads the webhook skew and the JSON depth limit', () => {
    expect(loadConfig({})).toMatchObject({ hookSkewMs: 30_000, maxJsonDepth: 64 });
    expect(loadConfig({ CROSSDOCK_HOOK_SKEW_MS: '5000' }).hookSkewMs).toBe(5000);
    expect(() => loadConfig({ CROSSDOCK_MAX_JSON_DEPTH: '1' })).toThrow(/CROSSDOCK_MAX_JSON_DEPTH/);
  });
});
