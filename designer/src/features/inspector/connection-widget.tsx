import type { WidgetProps } from '@rjsf/utils';
import { createContext, useContext } from 'react';
import type { EnvironmentInfo } from '../../lib/api-types';

/** The environment's connections, for the picker; null until the runtime answered. */
export const EnvironmentContext = createContext<EnvironmentInfo | null>(null);

/** Picks a connection by name from the environment; a name it does not know stays selectable. */
export function ConnectionWidget(props: WidgetProps) {
  const env = useContext(EnvironmentContext);
  const { id, value, onChange, required, label, options } = props;
  const current = typeof value === 'string' ? value : '';
  // A connector for one kind of system offers only connections to that kind.
  const systems = Array.isArray(options.systems) ? (options.systems as unknown[]) : null;
  const known = (env?.connections ?? []).filter((c) => !systems || systems.includes(c.system));
  const missing = current !== '' && !known.some((c) => c.name === current);
  return (
    <select
      id={id}
      className="form-control"
      aria-label={label || 'connection'}
      required={required}
      value={current}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
    >
      <option value="">Choose a connection…</option>
      {known.map((c) => (
        <option key={c.name} value={c.name}>
          {c.name} — {c.system} ({c.baseUrl})
        </option>
      ))}
      {missing && (
        <option value={current}>
          {current} (not in {env?.name ?? 'this environment'})
        </option>
      )}
    </select>
  );
}

/** Picks a trading partner (flows/partners) by id; an id the runtime does not know stays selectable. */
export function PartnerWidget(props: WidgetProps) {
  const env = useContext(EnvironmentContext);
  const { id, value, onChange, required, label } = props;
  const current = typeof value === 'string' ? value : '';
  const known = env?.partners ?? [];
  const missing = current !== '' && !known.some((p) => p.id === current);
  return (
    <select
      id={id}
      className="form-control"
      aria-label={label || 'partner'}
      required={required}
      value={current}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
    >
      <option value="">No partner profile</option>
      {known.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name} ({p.id})
        </option>
      ))}
      {missing && <option value={current}>{current} (no such partner profile)</option>}
    </select>
  );
}
