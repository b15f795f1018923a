import { emit, type NodeExecutor } from '../../sdk/executor-types';
import type { JsonObject } from '../../sdk/json';

/** Config fields every broker trigger shares. */
export const brokerTriggerProperties: JsonObject = {
  contentType: {
    type: 'string',
    enum: ['json', 'text'],
    default: 'json',
    description: 'json parses the message body; text passes it as a string (X12, CSV).',
  },
};

/** A broker trigger's message body is the run's payload; it leaves on `out` unchanged. */
export const executeBrokerTrigger: NodeExecutor = async (input) => emit(input.payload);

/** What every broker trigger guarantees, for its docs. */
export const BROKER_TRIGGER_DOCS =
  "Every worker process consumes while the flow's active version has this trigger (a new version's trigger replaces the old one's; deactivating stops it). A message is acknowledged only once its run is durably recorded (at-least-once); a redelivery whose idempotency key was already seen starts nothing, so set the flow's `idempotencyKey` to the event's id. When the run queue is at its depth limit the consumer stops taking messages and waits (nothing is dropped); when the broker goes away it reconnects. A body that is not JSON (with `contentType: json`) is rejected to the broker's dead-letter handling and logged.";
