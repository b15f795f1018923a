import { type Activation, activationsOf, type Catalog, type FlowDocument } from '@crossdock/nodes';
import type { ChainableCommander } from 'ioredis';
import type { Schedules } from '../queue/schedules';
import type { FlowActivation } from '../store/flow-store';
import type { SftpPolls } from '../transports/sftp-trigger';
import type { HookTarget, WebhookRoutes } from './webhook-routes';

type Of<K extends Activation['kind']> = Extract<Activation, { kind: K }>;

const only = <K extends Activation['kind']>(all: readonly Activation[], kind: K): Of<K>[] =>
  all.filter((a): a is Of<K> => a.kind === kind);

export interface ActivationsDeps {
  catalog: Catalog;
  webhooks: WebhookRoutes;
  schedules: Schedules;
  polls: SftpPolls;
  /**
   * Tells this process's broker consumers to read the active versions again (other processes
   * read them on their own timer, so consumers need no shared table).
   */
  consumersChanged(): void;
}

/**
 * Applies what the triggers of a flow version declare in their manifests (`activation`) when
 * the version becomes the one new runs start on, whichever way it got there (deploy, promotion,
 * rollback, the development landscape, a restore after data loss), and removes what the
 * previous version declared: webhook routes, cron schedulers, folder pollers, broker consumers.
 * The flow store calls it without knowing any node type.
 */
export class Activations implements FlowActivation {
  constructor(private readonly deps: ActivationsDeps) {}

  private of(flow: FlowDocument): Activation[] {
    return activationsOf(flow, this.deps.catalog);
  }

  /** Refuses a version whose webhook paths belong to another flow (or would drop a signature). */
  async claim(flow: FlowDocument): Promise<void> {
    await this.deps.webhooks.claim(flow.id, only(this.of(flow), 'webhook'));
  }

  /** Routes the version's webhook paths in the same transaction that makes it active. */
  async stage(flow: FlowDocument, tx: ChainableCommander): Promise<void> {
    await this.deps.webhooks.stage(tx, flow.id, only(this.of(flow), 'webhook'));
  }

  /** Once the version is active: schedulers, pollers and consumers follow it. */
  async applied(flow: FlowDocument): Promise<void> {
    const all = this.of(flow);
    // One scheduler per flow: the first schedule trigger of the version.
    await this.deps.schedules.follow(flow.id, only(all, 'schedule')[0]);
    await this.deps.polls.follow(
      flow.id,
      only(all, 'poll').filter((p) => p.transport === 'sftp'),
    );
    // Broker triggers of this process follow at once; other processes on their next read.
    this.deps.consumersChanged();
  }

  /** The route of a webhook path, if an active version listens on it. */
  hook(path: string): Promise<HookTarget | undefined> {
    return this.deps.webhooks.lookup(path);
  }
}
