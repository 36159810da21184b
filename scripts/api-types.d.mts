/** Types of scripts/api-types.mjs for the TypeScript test that imports it. */
export declare const HEADER: string;
export declare function renderApiTypes(document: Record<string, unknown>): Promise<string>;
