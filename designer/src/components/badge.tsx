import type { ReactNode } from 'react';

export type Tone = 'neutral' | 'success' | 'danger' | 'warning' | 'info' | 'running';

export function Badge(props: { tone?: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge--${props.tone ?? 'neutral'}`} title={props.title}>
      {props.children}
    </span>
  );
}
