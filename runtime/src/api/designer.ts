import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Request, Router } from 'express';
import { DEV_API_KEY, isDevelopment, isLoopbackHost, type RuntimeConfig } from '../infra/config';

/** The hostname of a `Host` header (`[::1]:8080` -> `::1`, `localhost:5173` -> `localhost`). */
function hostname(header: string | undefined): string {
  if (!header) return '';
  const bracketed = /^\[([^\]]*)\]/.exec(header);
  if (bracketed) return bracketed[1] ?? '';
  return header.replace(/:\d*$/, '');
}

/**
 * A request that can only come from this machine: a loopback peer AND a loopback `Host`. The
 * `Host` check defeats DNS rebinding (a page on `evil.example` resolving to 127.0.0.1 sends
 * `Host: evil.example`), the peer check a proxy or a non-loopback bind.
 */
export function isLocalRequest(req: Request): boolean {
  return (
    isLoopbackHost(req.socket.remoteAddress ?? '') && isLoopbackHost(hostname(req.headers.host))
  );
}

/**
 * Serves the designer's built files at `/`, and `/designer-config.json`, which hands the
 * designer the development key only when no keys are configured (the published key, nothing to
 * leak) and only to a local request; otherwise `{"apiKey": null}` and the designer asks for a key.
 */
export function designerRouter(config: RuntimeConfig, distDir: string): Router {
  const router = Router();
  router.get('/designer-config.json', (req, res) => {
    const give = config.devKeys && isDevelopment(config) && isLocalRequest(req);
    res.setHeader('cache-control', 'no-store');
    res.json({ apiKey: give ? DEV_API_KEY : null });
  });
  if (existsSync(distDir)) {
    router.use(express.static(distDir, { index: 'index.html' }));
    router.get('/{*rest}', (req, res, next) => {
      if (req.path.startsWith('/api/') || req.path.startsWith('/hooks/')) return next();
      res.sendFile(path.join(distDir, 'index.html'));
    });
  }
  return router;
}
