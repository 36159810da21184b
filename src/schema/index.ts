/** The validation schema shared by the config file, the admin API and the CLI/CSV input (through the store). */
export * from './address.js';
export { addressOrCidr as checkAddressOrCidr, hostAddress as checkHostAddress, macAddress as checkMacAddress, ntHash as checkNtHash } from './checks.js';
export * from './describe.js';
export * from './field.js';
export * from './fields.js';
export * from './issues.js';
export * from './resources.js';
export * from './validate.js';
