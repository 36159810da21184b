/**
 * The fee run's advisory-lock keys, in a module of their own so the subscriber and tariff-change repositories can
 * take them without importing the fee run (which applies scheduled tariff changes through them).
 */

/**
 * Advisory-lock key serialising fee chunks against subscription changes: a fee chunk takes it exclusively, a
 * subscription change (subscribers repository) shared. So a chunk's INSERT … SELECT never reads a subscription
 * that a concurrent tariff change is ending, and a change sees every charge committed before it.
 */
export const FEE_SUBSCRIPTIONS_LOCK_KEY = 0x746f_6c6c_6665;
/** Advisory-lock key a fee chunk tries first: held by another session = another instance is charging. */
export const FEE_RUN_LOCK_KEY = 0x746f_6c6c_6672;
