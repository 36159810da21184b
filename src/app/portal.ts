/** The captive portal (subscribers) and billing widget, on a listener of their own apart from the admin API. */
import { listen } from '../http/admin-server.js';
import { createPortalServer } from '../portal/server.js';
import { drainHttp } from './admin.js';
import type { AppContext } from './context.js';

/** Starts the listener; returns its port. */
export async function startPortal(ctx: AppContext): Promise<number> {
  const { log, store, changes } = ctx;
  const config = ctx.config();
  const server = createPortalServer({ config: config.portal, timeZone: config.fees.timeZone, store, changes, log });
  let port = 0;
  await ctx.life.start({
    name: 'portal',
    async start() {
      port = await listen(server, config.portal.port, config.portal.listen);
      log.info({ address: config.portal.listen, port, widget: config.portal.widgetSecret ? 'enabled' : 'disabled (no portal.widgetSecret)' }, 'portal listener ready');
    },
    stop: (budgetMs) => drainHttp(ctx, 'portal', server, budgetMs),
  });
  return port;
}
