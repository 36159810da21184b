/**
 * What each access decision's reason code means, in one plain English sentence for the people reading the auth
 * log in the console (support staff on the phone with a subscriber). The codes are the access handler's
 * (access-handler.ts) and the authorization decision's (authorize.ts); the auth log stores the code, the API adds
 * the sentence. A code this table does not know (a newer release's) is answered with a generic sentence naming it.
 */

export const REASON_TEXTS: Readonly<Record<string, string>> = {
  // Credentials (access-handler.ts)
  no_username: 'The request carried no User-Name',
  unknown_user: 'No subscriber or static user has this login',
  bad_password: 'Wrong password',
  bad_format: 'The credential in the request was malformed (a password, CHAP or MS-CHAPv2 field that does not decode)',
  chap_needs_cleartext: 'CHAP needs the cleartext password, and only its NT hash is stored: use PAP or MS-CHAPv2, or set the password again',
  unsupported_method: 'The NAS asked for EAP, which is not supported: use PAP, CHAP or MS-CHAPv2',
  no_credentials: 'The request carried no password, CHAP or MS-CHAPv2 response',
  mac_mismatch: "The device's MAC address (Calling-Station-Id) is not the one bound to this login",
  simultaneous_use: 'Already has the maximum number of sessions (Simultaneous-Use)',
  // The authorization decision (authorize.ts)
  disabled: 'The login is disabled by an operator',
  unknown_status: 'The subscriber has a status the server does not know, so access is refused',
  no_tariff: 'The subscriber has no tariff, so there is nothing to give service by',
  blocked: 'Sent to the captive portal: the account is out of money (balance plus credit below zero)',
  suspended: 'Sent to the captive portal: the subscriber is suspended (a voluntary pause)',
};

/** The sentence for a reason code; null for none (an accept). */
export function reasonText(reason: string | null): string | null {
  if (reason === null) return null;
  return REASON_TEXTS[reason] ?? `Refused for the reason "${reason}"`;
}
