/**
 * What the console's read routes need beyond the Store: the compiled vendor profiles and the dictionary (the
 * reply preview renders what the access path would send), the config-file NAS clients (the NAS status lists them
 * next to the rows), the fee time zone (statement days, "today" and "this month") and the currency (the decimal
 * amounts of the statement exports). The composition root passes them (app/admin.ts); without them the reply
 * preview answers 404 and the rest uses UTC and USD.
 */
import type { ProfileOverrides, VendorProfiles } from '../../aaa/vendor-profiles.js';
import type { MessageAuthenticatorRequirement } from '../../domain/types.js';
import type { Dictionary } from '../../radius/dictionary.js';

/** A client of the configuration file (`clients`): it has no row, so the API knows it from here. */
export interface ConfigNasClient {
  readonly name: string;
  readonly address: string;
  readonly vendor: string;
  /** The client's own setting, or undefined for the `radius.requireMessageAuthenticator` default. */
  readonly requireMessageAuthenticator?: MessageAuthenticatorRequirement | undefined;
}

export interface ConsoleDeps {
  readonly profiles?: VendorProfiles | undefined;
  readonly dictionary?: Dictionary | undefined;
  /** The `vendors` key of the configuration: what changes from the built-in profiles. */
  readonly vendors?: ProfileOverrides | undefined;
  /** The configuration's clients now (they change on reload). */
  readonly configClients?: (() => readonly ConfigNasClient[]) | undefined;
  /** radius.requireMessageAuthenticator: what a client without its own setting requires. */
  readonly defaultRequireMessageAuthenticator?: (() => MessageAuthenticatorRequirement) | undefined;
  /** fees.timeZone (IANA); default UTC. */
  readonly timeZone?: string | undefined;
  /** portal.currency (ISO 4217); default USD. */
  readonly currency?: string | undefined;
}
