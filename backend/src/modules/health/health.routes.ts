import { Router } from 'express';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';

/** `GET /healthz` (the process is up) and `GET /readyz` (the database answers). */
export function createHealthRouter(deps: { db: Db }): Router {
  const router = Router();

  router.get('/healthz', function getHealthz(_req, res) {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async function getReadyz(_req, res) {
    try {
      await withTimeout(sql`select 1`.execute(deps.db), 2_000);
    } catch (err) {
      throw new AppError('service_unavailable', 'Database is not reachable', { cause: err });
    }
    res.json({ status: 'ok', database: 'ok' });
  });

  return router;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
