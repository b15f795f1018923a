import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { DEV_API_KEY, isDevelopment, ROLES, type RuntimeConfig } from '../infra/config';

/**
 * Serves the designer's built files at `/`, and in development `/designer-config.json` with an
 * API key, so the designer needs no login there.
 */
export function designerRouter(config: RuntimeConfig, distDir: string): Router {
  const router = Router();
  if (isDevelopment(config)) {
    router.get('/designer-config.json', (_req, res) => {
      const best = [...config.apiKeys.entries()].sort(
        (a, b) => ROLES.indexOf(b[1]) - ROLES.indexOf(a[1]),
      )[0];
      res.json({ apiKey: config.devKeys ? DEV_API_KEY : (best?.[0] ?? null) });
    });
  }
  if (existsSync(distDir)) {
    router.use(express.static(distDir, { index: 'index.html' }));
    router.get('/{*rest}', (req, res, next) => {
      if (req.path.startsWith('/api/') || req.path.startsWith('/hooks/')) return next();
      res.sendFile(path.join(distDir, 'index.html'));
    });
  }
  return router;
}
