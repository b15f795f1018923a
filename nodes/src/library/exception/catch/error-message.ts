import { PermanentError, type SerializedError, serializeError } from '../../../sdk/errors';
import { isJsonObject, type JsonValue } from '../../../sdk/json';

/**
 * What the runtime sends out of a node's `error` port after its last attempt: the serialized
 * error, the message the node failed on and the node's id.
 */
export interface ErrorMessage {
  error: SerializedError;
  input: JsonValue;
  nodeId: string;
}

/** Reads an error-port message; anything else is a permanent `invalid-input` error. */
export function parseErrorMessage(payload: JsonValue): ErrorMessage {
  if (!isJsonObject(payload) || !isJsonObject(payload.error)) {
    throw new PermanentError(
      'invalid-input',
      'This node handles errors: connect it to another node\'s "error" port (the message needs {error, input, nodeId}).',
    );
  }
  return {
    // Normalises a hand-made or older error shape; unknown shapes become `unexpected`.
    error: serializeError(payload.error),
    input: payload.input ?? null,
    nodeId: typeof payload.nodeId === 'string' ? payload.nodeId : '',
  };
}
