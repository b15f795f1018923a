import { describe, expect, it } from 'vitest';
import { assertApiKeysConfigured, ConfigError, DEV_API_KEY, loadConfig } from './config';

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

  it('refuses the development key outside development', () => {
    expect(() => assertApiKeysConfigured(loadConfig({ CROSSDOCK_ENV: 'prod' }))).toThrow(
      /CROSSDOCK_API_KEYS/,
    );
    const keyed = loadConfig({ CROSSDOCK_ENV: 'prod', CROSSDOCK_API_KEYS: 'admin:0123456789' });
    expect(() => assertApiKeysConfigured(keyed)).not.toThrow();
  });
});
