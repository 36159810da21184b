/** The validation messages' wording of a value lives in the domain (pure), where the tariff plan uses it too. */
export { describeType, describeValue } from '../domain/describe.js';
