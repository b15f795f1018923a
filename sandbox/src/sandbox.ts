import { carrierSpec } from './carrier/carrier';
import type { CarrierState } from './carrier/model';
import { erpSpec } from './erp/erp';
import type { ErpState } from './erp/model';
import type { AuthCheck } from './kernel/auth';
import { type Clock, systemClock } from './kernel/clock';
import {
  type RunningSystem,
  type SystemName,
  type SystemRuntime,
  startSystem,
} from './kernel/service';
import { readStateFile, StateFileWriter } from './kernel/state-file';
import type { WebhookOptions } from './kernel/webhooks';
import { type PartnerOptions, type Partners, startPartners } from './partners/partners';
import type { TmsState } from './tms/model';
import { tmsSpec } from './tms/tms';
import type { WmsState } from './wms/model';
import { wmsSpec } from './wms/wms';

/** The secrets the systems check callers against, named as in `flows/environments/dev.json`. */
export interface SandboxSecrets {
  ERP_API_KEY: string;
  WMS_TOKEN: string;
  TMS_USER: string;
  TMS_PASSWORD: string;
}

export interface SandboxOptions {
  /** Ports per system; 0 (the default) picks a free one. */
  ports?: Partial<Record<SystemName, number>>;
  host?: string;
  /** Where events go: `<webhookBaseUrl>/<system>/<event>`. Default http://127.0.0.1:8080/hooks. */
  webhookBaseUrl?: string;
  secrets: SandboxSecrets;
  /** Signs webhook deliveries (x-crossdock-timestamp / x-crossdock-signature) when set. */
  webhookSigningSecret?: string;
  /** Delivery retry tuning, shared by every system. */
  webhooks?: Omit<WebhookOptions, 'baseUrl' | 'signingSecret'>;
  clock?: Clock;
  /**
   * Keeps the systems' records and id counters in this JSON file across restarts, as systems of
   * record keep their data (without it the sandbox starts empty every time).
   */
  stateFile?: string;
  /** Where a failed state-file write is reported (default: stderr). */
  onStateFileError?: (error: unknown) => void;
  /**
   * Services beyond HTTP for the samples: the ERP's staging table, the carrier's SFTP drop, the
   * WMS's event broker. One that cannot start is in `partners.status`; the sandbox starts anyway.
   */
  partners?: PartnerOptions;
}

/** The four running systems; each offers its business API and `/_control`. */
export interface Sandbox {
  erp: RunningSystem<ErpState>;
  wms: RunningSystem<WmsState>;
  tms: RunningSystem<TmsState>;
  carrier: RunningSystem<CarrierState>;
  urls: Record<SystemName, string>;
  /** Points every system's events at another webhook base (e.g. once Crossdock listens). */
  setWebhookBaseUrl(url: string): void;
  /** Resets every system (state, faults, logs). */
  reset(): void;
  /** Where the state is kept across restarts, when it is. */
  stateFile: string | undefined;
  /** The services beyond HTTP that were asked for, and how each started. */
  partners: Partners;
  /** Waits until no system has an event delivery pending. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the sandbox ERP, WMS, TMS and carrier on 127.0.0.1. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const webhooks: WebhookOptions = {
    ...options.webhooks,
    baseUrl: options.webhookBaseUrl ?? 'http://127.0.0.1:8080/hooks',
    signingSecret: options.webhookSigningSecret,
  };
  const saved = options.stateFile ? await readStateFile(options.stateFile) : undefined;
  let writer: StateFileWriter | undefined;
  const s = options.secrets;
  const auth: Record<SystemName, AuthCheck> = {
    erp: { type: 'api-key', header: 'x-api-key', key: s.ERP_API_KEY },
    wms: { type: 'bearer', token: s.WMS_TOKEN },
    tms: { type: 'basic', username: s.TMS_USER, password: s.TMS_PASSWORD },
    carrier: { type: 'none' },
  };
  const partners = await startPartners(options.partners ?? {});
  const start = <S>(spec: Parameters<typeof startSystem<S>>[0]) =>
    startSystem(spec, {
      ...(spec.name === 'erp' ? { control: partners.erpControl } : {}),
      port: options.ports?.[spec.name] ?? 0,
      host,
      auth: auth[spec.name],
      clock,
      webhooks,
      onChange: () => writer?.changed(),
    });
  const started: Array<RunningSystem<unknown>> = [];
  try {
    const erp = await start(erpSpec);
    started.push(erp);
    const wms = await start(wmsSpec);
    started.push(wms);
    const tms = await start(tmsSpec);
    started.push(tms);
    const carrier = await start(carrierSpec);
    started.push(carrier);
    const all = [erp, wms, tms, carrier] as const;
    partners.attach({ wms: wms.runtime.events, carrier: carrier.runtime.events });
    for (const system of all) {
      const snapshot = saved?.systems[system.runtime.name];
      if (snapshot) (system.runtime as SystemRuntime<unknown>).restore(snapshot);
    }
    if (options.stateFile) {
      writer = new StateFileWriter(
        options.stateFile,
        () => ({
          version: 1,
          savedAt: new Date().toISOString(),
          systems: Object.fromEntries(all.map((x) => [x.runtime.name, x.runtime.snapshot()])),
        }),
        100,
        options.onStateFileError ??
          ((error) =>
            process.stderr.write(`sandbox: state not saved to ${options.stateFile}: ${error}\n`)),
      );
    }
    return {
      erp,
      wms,
      tms,
      carrier,
      urls: { erp: erp.url, wms: wms.url, tms: tms.url, carrier: carrier.url },
      stateFile: options.stateFile,
      partners,
      setWebhookBaseUrl: (url) => {
        for (const system of all) system.runtime.events.setBaseUrl(url);
      },
      reset: () => {
        for (const system of all) system.runtime.reset();
        writer?.changed();
      },
      idle: async () => {
        await Promise.all(all.map((system) => system.runtime.events.idle()));
      },
      stop: async () => {
        await Promise.all(all.map((system) => system.stop()));
        await writer?.stop();
        await partners.stop();
      },
    };
  } catch (error) {
    await Promise.all(started.map((system) => system.stop()));
    await partners.stop();
    throw error;
  }
}
