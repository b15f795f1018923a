import {
  type TObject,
  type TProperties,
  type TSchema,
  type TUnsafe,
  Type,
} from '@sinclair/typebox';
import type { JsonValue } from '../sdk/json';

/**
 * An object that names every field it may hold: a route answering with a field the contract
 * lacks fails the contract test, so the contract and the runtime cannot drift apart unnoticed.
 */
export function strict<T extends TProperties>(properties: T, description?: string): TObject<T> {
  return Type.Object(properties, {
    additionalProperties: false,
    ...(description !== undefined ? { description } : {}),
  });
}

/** Any JSON value (a trigger payload, a node's message, a pinned sample). */
export const Json: TUnsafe<JsonValue> = Type.Unsafe<JsonValue>({});

/** A JSON object whose fields are data, not contract (attributes, answers per node id). */
export const JsonRecord = Type.Record(Type.String(), Json);

/** An ISO 8601 timestamp, as the runtime writes them (`Date#toISOString`). */
export const Timestamp = Type.String({ format: 'date-time' });

export const StringMap = Type.Record(Type.String(), Type.String());

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** `{"error": {"code", "message", "details"?}}`: every 4xx and 5xx answer of the API. */
export const ErrorBody = strict({
  error: strict({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Json),
  }),
});

/** Where a list continues: the next page's cursor, or null on the last page. */
export const NextCursor = Nullable(Type.String());

/**
 * A document schema of the core (flow, process, reconciliation, partner) embedded in a body:
 * without its `$schema` and `$id`, so it nests in any body schema and validator.
 */
export function document<T>(schema: object): TUnsafe<T> {
  const { $schema: _dialect, $id: _id, ...rest } = schema as Record<string, unknown>;
  return Type.Unsafe<T>(rest);
}
