import { type Request, type Response, Router } from 'express';
import { SFTP_214_PATH } from '../carrier/carrier';
import { BadRequest } from '../kernel/body';
import type { WebhookSender } from '../kernel/webhooks';
import { EventBroker } from './event-broker';
import { type SftpDrop, type SftpDropOptions, startSftpDrop } from './sftp-drop';
import { type StagedOrder, StagingDb, type StagingDbOptions } from './staging-db';

/** What the sandbox offers beyond HTTP, each optional (the dev samples need all three). */
export interface PartnerOptions {
  /** The ERP's order staging table in PostgreSQL (`erp-staging-orders`). */
  stagingDb?: StagingDbOptions;
  /** The carrier's SFTP drop, where it leaves X12 214 files (`carrier-214-sftp`). */
  sftpDrop?: SftpDropOptions & { outboundFolder: string };
  /** RabbitMQ the WMS publishes pick-complete events to (`wms-pick-complete-amqp`). */
  wmsEvents?: { url: string; exchange: string };
}

export type PartnerName = 'stagingDb' | 'sftpDrop' | 'wmsEvents';

/** How one partner service started: `ok`, or why not (said once by whoever started it). */
export interface PartnerStatus {
  name: PartnerName;
  ok: boolean;
  /** Where it is (`postgres://127.0.0.1:5432/crossdock_erp`, `sftp://127.0.0.1:2222`). */
  where: string;
  problem?: string;
}

export interface Partners {
  status: PartnerStatus[];
  staging: StagingDb | undefined;
  sftpDrop: SftpDrop | undefined;
  /** `/_control/staging/...` on the ERP. */
  erpControl: Router;
  /** Points the carrier's SFTP 214s and the WMS's pick events at their outlets. */
  attach(systems: { wms: WebhookSender; carrier: WebhookSender }): void;
  stop(): Promise<void>;
}

const message = (error: unknown) =>
  error instanceof Error ? error.message || error.name : String(error);

/** Starts the partner services named in `options`; one that cannot start is reported, not thrown. */
export async function startPartners(options: PartnerOptions): Promise<Partners> {
  const status: PartnerStatus[] = [];
  let staging: StagingDb | undefined;
  let drop: SftpDrop | undefined;
  let broker: EventBroker | undefined;

  if (options.stagingDb) {
    const o = options.stagingDb;
    const where = `postgres://${o.host}:${o.port}/${o.database}`;
    try {
      staging = await StagingDb.provision(o);
      status.push({ name: 'stagingDb', ok: true, where });
    } catch (error) {
      status.push({ name: 'stagingDb', ok: false, where, problem: message(error) });
    }
  }
  if (options.sftpDrop) {
    const o = options.sftpDrop;
    try {
      drop = await startSftpDrop(o);
      status.push({ name: 'sftpDrop', ok: true, where: `sftp://127.0.0.1:${drop.port}` });
    } catch (error) {
      const where = `sftp://${o.host ?? '127.0.0.1'}:${o.port ?? 0}`;
      status.push({ name: 'sftpDrop', ok: false, where, problem: message(error) });
    }
  }
  if (options.wmsEvents) {
    const o = options.wmsEvents;
    const where = o.url.replace(/\/\/[^@/]*@/, '//');
    broker = new EventBroker({
      url: o.url,
      exchange: o.exchange,
      routingKey: (body) => {
        const warehouse = (body as { warehouse?: unknown }).warehouse;
        return `pick.completed.${typeof warehouse === 'string' ? warehouse : 'unknown'}`;
      },
    });
    try {
      await broker.check();
      status.push({ name: 'wmsEvents', ok: true, where });
    } catch (error) {
      await broker.close();
      broker = undefined;
      status.push({ name: 'wmsEvents', ok: false, where, problem: message(error) });
    }
  }

  const erpControl = Router();
  const needStaging = (): StagingDb => {
    if (staging) return staging;
    const problem = status.find((s) => s.name === 'stagingDb')?.problem ?? 'not configured';
    throw new BadRequest(
      `The ERP staging database is not available: ${problem}`,
      409,
      'NO_STAGING',
    );
  };
  erpControl.get('/staging/orders', async (_req: Request, res: Response) => {
    res.json({ orders: await needStaging().list() });
  });
  erpControl.post('/staging/orders', async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Partial<StagedOrder>;
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw new BadRequest('The staged order must be a JSON object');
    }
    res.status(201).json(await needStaging().stage(body));
  });

  return {
    status,
    staging,
    sftpDrop: drop,
    erpControl,
    attach(systems) {
      if (drop && options.sftpDrop) {
        const target = drop;
        const folder = options.sftpDrop.outboundFolder.replace(/\/+$/, '');
        systems.carrier.setOutlet(SFTP_214_PATH, {
          mode: 'instead',
          name: `sftp ${folder}`,
          send: async ({ eventId, body }) => {
            if (!('x12' in body)) throw new Error('the SFTP drop takes X12 files');
            await target.put(`${folder}/${eventId}.edi`, body.x12);
          },
        });
      }
      if (broker) systems.wms.setOutlet('wms/pick-confirmed', broker.outlet());
    },
    async stop() {
      await Promise.all([staging?.close(), drop?.stop(), broker?.close()]);
    },
  };
}
