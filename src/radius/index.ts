/** The RADIUS protocol core's public API: packet codes, errors, raw packets, signing, dictionaries, attributes. */
export * from './codes.js';
export * from './errors.js';
export * from './packet.js';
export * from './crypto.js';
export { Dictionary, type AttributeDef, type DataType, type VendorDef } from './dictionary.js';
export type { Attribute, AttributeValue, CryptoContext } from './attributes.js';
export { decodeAttributes } from './decode.js';
export { encodeAttribute, encodeAttributes } from './encode.js';
export { formatAttribute } from './text.js';
