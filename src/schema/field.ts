/**
 * A field of an input object: a zod schema for its value, plus what an object needs to know about it — whether a
 * create must carry it (`required`), may leave it out (`optional`: the store decides) or gets a default
 * (`defaulted`), whether null clears it, and whether it is write-only (secrets). The validator (validate.ts), the
 * TypeScript types and the JSON Schema of the OpenAPI document all come from the one zod schema, so they cannot
 * drift apart.
 */
import { z } from 'zod';
import { describeType, describeValue } from './describe.js';

/** The subset of JSON Schema 2020-12 the API document uses. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly default?: unknown;
  readonly readOnly?: boolean;
  readonly writeOnly?: boolean;
  readonly examples?: readonly unknown[];
  readonly items?: JsonSchema;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
  readonly minProperties?: number;
  readonly $ref?: string;
  readonly not?: JsonSchema;
  readonly const?: unknown;
  readonly anyOf?: readonly JsonSchema[];
}

/** Error codes other than the plain validation failure an issue may call for (money beyond ±10^15). */
export type IssueCode = 'AMOUNT_OUT_OF_RANGE';

/**
 * A failure may name an error code other than the plain validation failure: `AMOUNT_OUT_OF_RANGE` for money
 * beyond ±10^15, which the API answers with a 422 when it is the only kind of problem in the request.
 */
export type Check<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string; readonly code?: IssueCode };

export type Presence = 'required' | 'optional' | 'defaulted';

/** A zod schema of one value; its error messages do not name the field (the object validator prefixes it). */
export type ValueSchema<T> = z.ZodType<T, unknown>;

/** The JSON Schema of a zod schema as the OpenAPI document embeds it (input side, no `$schema`). */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const json: Record<string, unknown> = { ...z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) };
  delete json.$schema;
  return json;
}

/** A validated field: value type `T`, presence `P`. */
export class Field<T, P extends Presence = Presence> {
  constructor(
    /** The value's schema, without null, absence or default (those are the field's, below). */
    readonly value: ValueSchema<T>,
    readonly presence: P,
    readonly nullable: boolean = false,
    readonly defaultValue: T | undefined = undefined,
    readonly writeOnly: boolean = false,
  ) {}

  /** Checks a present, non-null value. A write-only field's messages name the type, never the value. */
  check(value: unknown): Check<T> {
    const r = this.value.safeParse(value);
    if (r.success) return { ok: true, value: r.data };
    const [first] = r.error.issues;
    const code = (first as { params?: { code?: IssueCode } } | undefined)?.params?.code;
    const message = first?.message ?? 'is invalid';
    return { ok: false, message: this.writeOnly ? message.replace(describeValue(value), describeType(value)) : message, ...(code === undefined ? {} : { code }) };
  }

  /** Accepted on write, never returned (secrets, passwords); its error messages name the type, never the value. */
  secret(): Field<T, P> {
    return new Field(this.value, this.presence, this.nullable, this.defaultValue, true);
  }

  /** Absent on create is fine (the store decides, or null). */
  optional(): Field<T, 'optional'> {
    return new Field(this.value, 'optional', this.nullable, this.defaultValue, this.writeOnly);
  }

  /** Absent on create means `value`. */
  withDefault(value: T): Field<T, 'defaulted'> {
    return new Field(this.value, 'defaulted', this.nullable, value, this.writeOnly);
  }

  /** `null` is accepted (clears the value). */
  orNull(): Field<T | null, P> {
    return new Field<T | null, P>(this.value, this.presence, true, this.defaultValue, this.writeOnly);
  }

  /**
   * The field as one zod schema, for an object: nullable, defaulted or optional as declared. `patch` leaves the
   * default out (a PATCH changes only what it names).
   */
  zod(mode: 'create' | 'patch' = 'create'): z.ZodType {
    let s: z.ZodType = this.nullable ? this.value.nullable() : this.value;
    if (this.writeOnly) s = s.meta({ writeOnly: true });
    if (mode === 'patch') return s.optional();
    if (this.presence === 'defaulted') return s.default(this.defaultValue as never);
    return this.presence === 'optional' ? s.optional() : s;
  }

  /** The full schema of the value, including `null` when accepted and the default. */
  jsonSchema(): JsonSchema {
    this.json ??= jsonSchemaOf(this.zod());
    return this.json;
  }

  private json: JsonSchema | undefined;
}

export type FieldValue<F> = F extends Field<infer T, Presence> ? T : never;
