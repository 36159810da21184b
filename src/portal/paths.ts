import { WIDGET_PATHS } from '../domain/widget-token.js';

/** Paths the portal listener serves; anything else is 404 there (in particular /api/*, /metrics, /healthz). */
export const PORTAL_PATHS = { page: '/', promised: '/promised-payment', widgetSummary: WIDGET_PATHS.summary, widgetFragment: WIDGET_PATHS.fragment } as const;
