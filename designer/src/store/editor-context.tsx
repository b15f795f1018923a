import { createContext, type ReactNode, useContext } from 'react';
import type { ApiClient } from '../lib/api-client';
import type { EnvironmentInfo } from '../lib/api-types';
import type { EditorStore } from './editor-store';

export interface AppServices {
  api: ApiClient;
  editor: EditorStore;
  environment: EnvironmentInfo | null;
}

const ServicesContext = createContext<AppServices | null>(null);

export function ServicesProvider(props: { value: AppServices; children: ReactNode }) {
  return <ServicesContext value={props.value}>{props.children}</ServicesContext>;
}

/** The API client, the editor store and the environment, provided once by the app shell. */
export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices needs a ServicesProvider above it.');
  return services;
}
