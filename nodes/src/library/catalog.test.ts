import { describe, expect, it } from 'vitest';
import { executors } from '../executors';
import { findExpressions } from '../sdk/expression-fields';
import { checkExpression } from '../sdk/expressions/check';
import { checkSchema } from '../sdk/schema-check';
import { catalog, manifests } from './manifests';

describe('node catalog contract', () => {
  it('has unique type ids that start with their category', () => {
    const types = manifests.map((m) => m.type);
    expect(new Set(types).size).toBe(types.length);
    for (const m of manifests) expect(m.type.startsWith(`${m.category}.`), m.type).toBe(true);
  });

  it.each(manifests.map((m) => [m.type, m] as const))(
    '%s: schema compiles, defaults are valid, docs exist',
    (_type, m) => {
      expect(checkSchema(m.configSchema, m.defaults)).toEqual([]);
      expect(m.title.length).toBeGreaterThan(0);
      expect(m.docs.length).toBeGreaterThan(40);
      expect(m.outputs.some((p) => p.id === 'error')).toBe(false);
      const ports = [...m.inputs, ...m.outputs].map((p) => p.id);
      expect(new Set(ports).size).toBe(ports.length);
    },
  );

  it('triggers have no input; other nodes have one', () => {
    for (const m of manifests) {
      if (m.category === 'trigger') expect(m.inputs, m.type).toEqual([]);
      else expect(m.inputs.length, m.type).toBeGreaterThan(0);
    }
  });

  it('every manifest has an executor', () => {
    const missing = manifests.map((m) => m.type).filter((t) => !Object.hasOwn(executors, t));
    expect(missing).toEqual([]);
  });

  it('every expression field in defaults is an allowed expression', () => {
    for (const m of manifests) {
      for (const field of findExpressions(m.configSchema, m.defaults)) {
        expect(checkExpression(field.value), `${m.type} ${JSON.stringify(field.pointer)}`).toEqual(
          [],
        );
      }
    }
  });

  it('connectors that call a system name its role', () => {
    for (const m of manifests.filter((x) => x.type.match(/^connector\.(erp|wms|tms|carrier)$/))) {
      expect(m.connection?.systems, m.type).toEqual([m.type.split('.')[1]]);
    }
  });

  it('every executor belongs to a manifest', () => {
    for (const type of Object.keys(executors)) expect(catalog.get(type), type).toBeDefined();
  });
});
