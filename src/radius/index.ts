/** The RADIUS protocol core's public API: packet codes, errors, raw packets, signing, dictionaries, attributes. */
export * from './codes.js';
export * from './errors.js';
export * from './packet.js';
export * from './crypto.js';
export { Dictionary, type AttributeDef, type DataType, type VendorDef } from './dictionary.js';
export {
  decodeAttributes,
  encodeAttribute,
  encodeAttributes,
  formatAttribute,
  type Attribute,
  type AttributeValue,
  type CryptoContext,
} from './attributes.js';
