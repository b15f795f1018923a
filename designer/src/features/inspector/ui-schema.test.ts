import { catalog, validateFlow } from '@crossdock/nodes';
import { describe, expect, it } from 'vitest';
import { sourcePaths } from './mapping-editor';
import { configErrors, formSchemaFor, uiSchemaFor } from './ui-schema';

describe('uiSchemaFor', () => {
  it('picks the editor for each kind of field', () => {
    const http = catalog.get('connector.http');
    const map = catalog.get('mapping.map');
    const branch = catalog.get('rule.branch');
    if (!http || !map || !branch) throw new Error('catalog changed');
    expect(uiSchemaFor(http)).toMatchObject({
      connection: { 'ui:widget': 'connection' },
      body: { 'ui:field': 'expression' },
      headers: { 'ui:field': 'json' },
    });
    expect(uiSchemaFor(map)).toMatchObject({
      fields: { 'ui:field': 'mapping' },
      tables: { 'ui:field': 'json' },
    });
    expect(uiSchemaFor(branch)).toMatchObject({ condition: { 'ui:field': 'expression' } });
    const wms = catalog.get('connector.wms');
    if (!wms) throw new Error('catalog changed');
    expect(uiSchemaFor(wms)).toMatchObject({
      connection: { 'ui:widget': 'connection', 'ui:options': { systems: ['wms'] } },
    });
  });
});

describe('formSchemaFor', () => {
  it('reduces custom-edited fields to type and docs, keeps the rest', () => {
    const map = catalog.get('mapping.map');
    if (!map) throw new Error('catalog changed');
    const schema = formSchemaFor(map, uiSchemaFor(map)) as { properties: Record<string, unknown> };
    expect(schema.properties.fields).toEqual({
      type: 'array',
      description: 'Target fields in the order they are written.',
    });
    expect(schema.properties.keepSource).toEqual(
      (map.configSchema.properties as Record<string, unknown>).keepSource,
    );
  });
});

describe('configErrors', () => {
  it('puts a missing required field under that field', () => {
    const doc = {
      schemaVersion: 1,
      id: 'f',
      name: 'F',
      version: '1.0.0',
      settings: {},
      nodes: [
        {
          id: 'h',
          type: 'connector.http',
          name: 'H',
          position: { x: 0, y: 0 },
          config: { method: 'POST', path: '/' },
        },
      ],
      edges: [],
    };
    const errors = configErrors(validateFlow(doc, catalog), 'h') as Record<
      string,
      { __errors?: string[] }
    >;
    expect(errors.connection?.__errors?.[0]).toMatch(/connection/);
  });
});

describe('sourcePaths', () => {
  it('lists leaf paths with a short sample', () => {
    expect(sourcePaths({ order: { number: 'SO-1', lines: [1, 2] } })).toEqual([
      { path: 'order.number', sample: '"SO-1"' },
      { path: 'order.lines', sample: '[2]' },
    ]);
  });
});
