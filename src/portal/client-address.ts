/** The portal's client-address resolver is the HTTP layer's (src/http/client-address.ts), shared with the admin API. */
export { ClientAddressResolver, normalizeAddress } from '../http/client-address.js';
