import { type Request, type Response, Router } from 'express';
import { BadRequest } from './body';
import { parseFaultSpec } from './faults';
import type { SystemRuntime } from './service';

function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The control API of one system (`/_control/...`): faults, what it received and sent, its state,
 * reset, the floor simulations under `/simulate` and master-data drift under `/drift`. Never faulted, never authenticated: it is
 * the test harness's side door, not the vendor's API.
 */
export function controlRouter<S>(
  system: SystemRuntime<S>,
  simulate: Router,
  drift: Router,
): Router {
  const router = Router();

  router.get('/received', (req: Request, res: Response) => {
    const since = queryString(req, 'since');
    res.json({
      system: system.name,
      received: system.received.list({
        method: queryString(req, 'method'),
        path: queryString(req, 'path'),
        since: since === undefined ? undefined : Number(since),
      }),
    });
  });

  router.get('/sent', (req: Request, res: Response) => {
    res.json({ system: system.name, sent: system.events.list({ path: queryString(req, 'path') }) });
  });

  router.get('/faults', (_req: Request, res: Response) => {
    res.json({ faults: system.faults.list() });
  });

  router.post('/faults', (req: Request, res: Response) => {
    res.status(201).json(system.faults.add(parseFaultSpec(req.body)));
  });

  router.delete('/faults', (_req: Request, res: Response) => {
    system.faults.clear();
    res.status(204).end();
  });

  router.delete('/faults/:id', (req: Request, res: Response) => {
    const id = String(req.params.id);
    if (!system.faults.remove(id)) throw new BadRequest(`No fault ${id}`, 404, 'NOT_FOUND');
    res.status(204).end();
  });

  router.get('/state', (_req: Request, res: Response) => {
    res.json(system.state);
  });

  router.post('/reset', (_req: Request, res: Response) => {
    system.reset();
    res.json({ system: system.name, reset: true });
  });

  router.use('/simulate', simulate);
  router.use('/drift', drift);
  return router;
}
