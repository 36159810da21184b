/**
 * The development configuration used when no file is given and config/tollgate.yaml does not exist:
 * a localhost NAS with FreeRADIUS's well-known dev secret, so `radtest` works right after `npm start`
 * against the demo subscribers seeded into the empty embedded database (alice funded, bob in debt).
 * Start-up warns that it is in use.
 */
export const DEV_SECRET = 'testing123';

export const developmentConfig = {
  clients: [
    { name: 'localhost', address: '127.0.0.1', secret: DEV_SECRET, vendor: 'mikrotik' },
    { name: 'localhost-v6', address: '::1', secret: DEV_SECRET, vendor: 'mikrotik' },
  ],
  // Only here: a configuration file gets the demo subscribers only when it asks for them (demo.seed: true).
  demo: { seed: true },
} as const;
