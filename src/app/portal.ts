/** The captive portal (subscribers) and billing widget, on a listener of their own apart from the admin API. */
import { listen } from '../http/admin-server.js';
import { createPortalServer } from '../portal/server.js';
import { drainHttp, type Listener } from './admin.js';
import type { AppContext } from './context.js';

/** Registered on the lifecycle now, opened later: see adminListener. */
export async function portalListener(ctx: AppContext): Promise<Listener> {
  const { log, store, changes } = ctx;
  const config = ctx.config();
  const server = createPortalServer({ config: config.portal, timeZone: config.fees.timeZone, store, changes, log });
  await ctx.life.start({ name: 'portal', stop: (budgetMs) => drainHttp(ctx, 'portal', server, budgetMs) });
  return {
    async listen() {
      const port = await listen(server, config.portal.port, config.portal.listen);
      log.info({ address: config.portal.listen, port, widget: config.portal.widgetSecret ? 'enabled' : 'disabled (no portal.widgetSecret)' }, 'portal listener ready');
      return port;
    },
  };
}
