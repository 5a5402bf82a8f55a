// The HubSpot emulator in its own process (so its work never shares an event loop with the load
// generator or the backend). Env: BACKEND_URL, RATE_MAX, RATE_INTERVAL_MS, and optionally
// CLIENT_ID, CLIENT_SECRET, APP_ID (so the backend's environment can be written before it starts).
// Prints {"ready":{"url","clientId","clientSecret","appId"}}.
import { createEmulator } from '../../emulator/src/emulator.js';

const emulator = await createEmulator({
  backendUrl: process.env.BACKEND_URL!,
  ...(process.env.CLIENT_ID ? { clientId: process.env.CLIENT_ID } : {}),
  ...(process.env.CLIENT_SECRET ? { clientSecret: process.env.CLIENT_SECRET } : {}),
  ...(process.env.APP_ID ? { appId: Number(process.env.APP_ID) } : {}),
  rateLimit: { max: Number(process.env.RATE_MAX ?? 110), intervalMs: Number(process.env.RATE_INTERVAL_MS ?? 10_000) },
  warn: (m) => console.error(m),
});
console.log(JSON.stringify({ ready: { url: emulator.url, clientId: emulator.app.clientId, clientSecret: emulator.app.clientSecret, appId: emulator.app.appId } }));
process.on('SIGTERM', () => {
  void emulator.stop().then(() => process.exit(0));
});
