/** RADIUS packet codes (RFC 2865, 2866, 5176, 5997, 7930). */
export const Code = {
  AccessRequest: 1,
  AccessAccept: 2,
  AccessReject: 3,
  AccountingRequest: 4,
  AccountingResponse: 5,
  AccessChallenge: 11,
  StatusServer: 12,
  StatusClient: 13,
  DisconnectRequest: 40,
  DisconnectACK: 41,
  DisconnectNAK: 42,
  CoARequest: 43,
  CoAACK: 44,
  CoANAK: 45,
  ProtocolError: 52,
} as const;
export type CodeNumber = (typeof Code)[keyof typeof Code];

const codeNames = new Map<number, string>([
  [1, 'Access-Request'],
  [2, 'Access-Accept'],
  [3, 'Access-Reject'],
  [4, 'Accounting-Request'],
  [5, 'Accounting-Response'],
  [11, 'Access-Challenge'],
  [12, 'Status-Server'],
  [13, 'Status-Client'],
  [40, 'Disconnect-Request'],
  [41, 'Disconnect-ACK'],
  [42, 'Disconnect-NAK'],
  [43, 'CoA-Request'],
  [44, 'CoA-ACK'],
  [45, 'CoA-NAK'],
  [52, 'Protocol-Error'],
]);

/** The RFC name of a packet code, or `Code-<n>` for one we do not know. */
export function codeName(code: number): string {
  return codeNames.get(code) ?? `Code-${code}`;
}

export function isKnownCode(code: number): boolean {
  return codeNames.has(code);
}

/** Standard attribute numbers the protocol core itself needs (RFC 2865/2866/2869/3579/5176). */
export const Attr = {
  UserName: 1,
  UserPassword: 2,
  CHAPPassword: 3,
  NASIPAddress: 4,
  NASPort: 5,
  ServiceType: 6,
  FramedProtocol: 7,
  FramedIPAddress: 8,
  ReplyMessage: 18,
  State: 24,
  Class: 25,
  VendorSpecific: 26,
  SessionTimeout: 27,
  CalledStationId: 30,
  CallingStationId: 31,
  NASIdentifier: 32,
  ProxyState: 33,
  AcctStatusType: 40,
  AcctDelayTime: 41,
  AcctInputOctets: 42,
  AcctOutputOctets: 43,
  AcctSessionId: 44,
  AcctSessionTime: 46,
  AcctTerminateCause: 49,
  AcctInputGigawords: 52,
  AcctOutputGigawords: 53,
  EventTimestamp: 55,
  CHAPChallenge: 60,
  NASPortType: 61,
  AcctInterimInterval: 85,
  NASPortId: 87,
  EAPMessage: 79,
  MessageAuthenticator: 80,
  NASIPv6Address: 95,
  ErrorCause: 101,
} as const;

/** Protocol limits (RFC 2865 §3). */
export const MIN_PACKET_LENGTH = 20;
export const MAX_PACKET_LENGTH = 4096;
export const HEADER_LENGTH = 20;
export const AUTHENTICATOR_LENGTH = 16;
