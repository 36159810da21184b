/**
 * Money for people in the portal: the domain's exact formatting (src/domain/money.ts), the same digits the admin
 * API's statement exports and the console write.
 */

export { formatMoney, minorDigits, minorToDecimal } from '../domain/money.js';
