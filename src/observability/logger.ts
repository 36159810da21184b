/**
 * pino JSON logs. Secrets and passwords are redacted wherever they appear in logged objects;
 * packet dumps are only built behind `isLevelEnabled('debug')` by their callers.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'secret',
  '*.secret',
  '*.*.secret',
  'password',
  '*.password',
  '*.*.password',
  'ntHash',
  '*.ntHash',
  'token',
  '*.token',
  'config.admin.token',
  'config.portal.widgetSecret',
  'config.portal.csrfSecret',
  'config.clients[*].secret',
  'config.users[*].password',
  'config.users[*].ntHash',
  'attributes["User-Password"]',
  'attributes["CHAP-Password"]',
  'attributes["Tunnel-Password"]',
  'attributes["MS-CHAP2-Response"]',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'tollgate', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/** Replaces attribute values that must never reach a log line in a `Name = value` dump. */
const SECRET_ATTRIBUTES = /^(User-Password|CHAP-Password|Tunnel-Password|MS-CHAP2-Response|MS-CHAP-Response|MS-MPPE-Send-Key|MS-MPPE-Recv-Key|MS-CHAP2-Success|Message-Authenticator)\b/;

export function redactAttributeLine(line: string): string {
  return SECRET_ATTRIBUTES.test(line) ? line.replace(/=.*$/, '= [redacted]') : line;
}
