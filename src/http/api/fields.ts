/**
 * Field builders for request bodies and query strings: the shared schema's (src/schema), so the API accepts
 * exactly what the config file and the CLI accept. One definition gives the validator, the TypeScript type of the
 * validated value and the JSON Schema the OpenAPI document is generated from (zod's toJSONSchema).
 */
export {
  addressOrCidr,
  boolean,
  day,
  describeValue,
  Field,
  hex32,
  integer,
  ipAddress,
  ipv4,
  mac,
  money,
  oneOf,
  positiveMoney,
  ref,
  signedMoney,
  text,
  timestamp,
  trimmed,
  type Check,
  type FieldValue,
  type JsonSchema,
  type Presence,
} from '../../schema/index.js';
