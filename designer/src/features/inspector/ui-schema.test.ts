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
      title: 'Fields',
      type: 'array',
      description: 'Target fields in the order they are written.',
    });
    expect(schema.properties.keepSource).toEqual({
      ...((map.configSchema.properties as Record<string, object>).keepSource ?? {}),
      title: 'Start from the source message',
    });
  });

  it('gives expressions inside list items the rule builder and drops presence-only oneOf', () => {
    const sw = catalog.get('rule.switch');
    const delay = catalog.get('flow.delay');
    const csv = catalog.get('connector.csv-parse');
    const catchNode = catalog.get('exception.catch');
    if (!sw || !delay || !csv || !catchNode) throw new Error('catalog changed');
    expect(uiSchemaFor(sw)).toMatchObject({
      cases: { items: { condition: { 'ui:field': 'expression' } } },
    });
    const cases = (
      formSchemaFor(sw) as { properties: { cases: { items: { properties: object } } } }
    ).properties.cases.items.properties;
    expect(cases).toMatchObject({
      condition: { title: 'Condition', description: 'json-logic condition over the message.' },
    });
    expect(cases).not.toHaveProperty('condition.x-expression');
    expect(formSchemaFor(delay)).not.toHaveProperty('oneOf');
    expect(uiSchemaFor(csv)).toMatchObject({
      columns: { items: { source: { 'ui:field': 'text-or-number' } } },
    });
    expect(uiSchemaFor(catchNode)).toMatchObject({
      routes: { items: { codes: { 'ui:widget': 'checkboxes' } } },
    });
  });

  it('titles every field, never with a raw camelCase key', () => {
    const titles: string[] = [];
    const visit = (s: unknown) => {
      if (typeof s !== 'object' || s === null) return;
      const o = s as Record<string, unknown>;
      if (typeof o.properties === 'object' && o.properties !== null) {
        for (const p of Object.values(o.properties)) {
          titles.push(String((p as { title?: unknown }).title));
          visit(p);
        }
      }
      visit(o.items);
    };
    for (const m of catalog.list()) visit(formSchemaFor(m));
    expect(titles.length).toBeGreaterThan(50);
    for (const t of titles) expect(t).toMatch(/^[A-Z0-9(]/);
    for (const t of titles) expect(t).not.toMatch(/[a-z][A-Z]/);
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
