/**
 * Every way a RADIUS packet or dictionary can be rejected, with a stable code.
 * The transport maps these codes to the `reason` label of `tollgate_radius_dropped_total`.
 */
export const RadiusErrorCodes = {
  RADIUS_TOO_SHORT: 'packet shorter than the 20-byte header or than its Length field says',
  RADIUS_TOO_LONG: 'Length field above 4096',
  RADIUS_BAD_LENGTH: 'Length field below 20',
  RADIUS_ATTR_TOO_SHORT: 'attribute length below 2 (or below its type minimum)',
  RADIUS_ATTR_OVERRUN: 'attribute runs past the end of the packet',
  RADIUS_ATTR_TYPE_ZERO: 'attribute of type 0 (reserved)',
  RADIUS_BAD_VALUE: 'attribute value does not fit its dictionary type',
  RADIUS_UNKNOWN_CODE: 'packet code not handled on this port',
  RADIUS_BAD_AUTHENTICATOR: 'Request or Response Authenticator does not verify',
  RADIUS_BAD_MESSAGE_AUTHENTICATOR: 'Message-Authenticator does not verify or is not 18 bytes long',
  RADIUS_MISSING_MESSAGE_AUTHENTICATOR: 'Message-Authenticator required but absent',
  RADIUS_DUPLICATE_MESSAGE_AUTHENTICATOR: 'more than one Message-Authenticator',
  RADIUS_PROXY_STATE_WITHOUT_MA: 'Proxy-State without Message-Authenticator from a client with limit-proxy-state',
  RADIUS_EAP_WITH_PASSWORD: 'EAP-Message together with User-Password or CHAP-Password',
  RADIUS_ENCODE_TOO_LONG: 'encoded packet would exceed 4096 bytes',
  RADIUS_ENCODE_VALUE: 'a value cannot be encoded as its attribute type',
  RADIUS_UNKNOWN_ATTRIBUTE: 'attribute name not in the dictionary',
  DICT_SYNTAX: 'dictionary line does not parse',
  DICT_UNKNOWN_VENDOR: 'dictionary refers to a vendor not defined',
  DICT_UNKNOWN_ATTRIBUTE: 'dictionary VALUE for an attribute not defined',
  DICT_BAD_TYPE: 'dictionary attribute type unknown',
  DICT_INCLUDE: 'dictionary $INCLUDE cannot be read',
} as const;

export type RadiusErrorCode = keyof typeof RadiusErrorCodes;

export class RadiusError extends Error {
  override readonly name = 'RadiusError';
  readonly code: RadiusErrorCode;
  constructor(code: RadiusErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? RadiusErrorCodes[code], options);
    this.code = code;
  }
}
