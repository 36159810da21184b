/**
 * The development configuration used when no file is given and config/tollgate.yaml does not exist:
 * a localhost NAS with FreeRADIUS's well-known dev secret, so `radtest` works right after `npm start`.
 * Start-up warns that it is in use.
 */
export const DEV_SECRET = 'testing123';

export const developmentConfig = {
  clients: [
    { name: 'localhost', address: '127.0.0.1', secret: DEV_SECRET, vendor: 'mikrotik' },
    { name: 'localhost-v6', address: '::1', secret: DEV_SECRET, vendor: 'mikrotik' },
  ],
  users: [
    {
      username: 'alice',
      password: 'alice-password',
      reply: { 'Mikrotik-Rate-Limit': '50M/50M', 'Session-Timeout': 86400, 'Acct-Interim-Interval': 300 },
    },
    {
      username: 'bob',
      password: 'bob-password',
      reply: { 'Mikrotik-Rate-Limit': '10M/10M', 'Framed-IP-Address': '100.64.0.2' },
    },
  ],
} as const;
