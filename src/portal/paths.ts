/** Paths the portal listener serves; anything else is 404 there (in particular /api/*, /metrics, /healthz). */
export const PORTAL_PATHS = { page: '/', promised: '/promised-payment', widgetSummary: '/widget/v1/summary', widgetFragment: '/widget/v1/fragment' } as const;
