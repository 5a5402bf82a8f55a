import type { Express } from 'express';

/** One route Express registered: method and path as written in the router. */
export interface RegisteredRoute {
  method: string;
  path: string;
}

interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/**
 * Lists an Express 5 app's routes (`router.get(…)` and the like, in nested routers too) and the
 * paths of prefix mounts (`router.use(path, …)`), which is how catch-all routes such as the HubSpot
 * proxy are registered. Reads the router's layer stack, which Express 5 exposes as `app.router`.
 */
export function listRegisteredRoutes(app: Express): { routes: RegisteredRoute[]; mounts: string[] } {
  const routes: RegisteredRoute[] = [];
  const mounts = new Set<string>();
  const walk = (stack: Layer[]): void => {
    for (const layer of stack) {
      if (layer.route && typeof layer.route.path === 'string') {
        for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') routes.push({ method: method.toUpperCase(), path: layer.route.path });
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      } else {
        for (const path of [layer.rawPath].flat()) if (typeof path === 'string' && path !== '/') mounts.add(path);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return { routes, mounts: [...mounts] };
}
