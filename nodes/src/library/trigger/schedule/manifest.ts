import { defineNode } from '../../../sdk/manifest';

export const scheduleTrigger = defineNode({
  type: 'trigger.schedule',
  version: 1,
  category: 'trigger',
  title: 'Schedule',
  description: 'Starts a run on a cron schedule in a time zone.',
  inputs: [],
  outputs: [{ id: 'out', label: 'Tick' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['cron'],
    properties: {
      cron: {
        type: 'string',
        format: 'cron',
        description:
          'minute hour day-of-month month day-of-week, e.g. "0 6 * * 1-5" for 06:00 on weekdays.',
      },
      timeZone: {
        type: 'string',
        format: 'time-zone',
        default: 'UTC',
        description: 'IANA time zone the schedule is read in, e.g. "America/Chicago".',
      },
      payload: {
        type: 'object',
        description: 'Fixed fields added to every tick, e.g. {"warehouse": "DEHAM1"}.',
      },
    },
  },
  defaults: { cron: '0 6 * * *', timeZone: 'UTC' },
  sideEffects: false,
  activation: { kind: 'schedule', cron: 'cron', timeZone: 'timeZone' },
  docs: 'Fires on the `cron` schedule read in `timeZone` (daylight saving included); the runtime registers one BullMQ job scheduler per deployed flow, so several workers never fire twice. Each tick starts a run whose message is `payload` plus `firedAt` (ISO 8601, UTC). Example: `{"cron": "*/15 * * * *", "timeZone": "Europe/Berlin", "payload": {"warehouse": "DEHAM1"}}` emits `{"warehouse": "DEHAM1", "firedAt": "2026-11-27T10:15:00.000Z"}` every quarter hour.',
});
