import { defineNode } from '../../../../sdk/manifest';
import { REMOTE_PATH_PATTERN } from '../remote-path';

export const sftpGetConnector = defineNode({
  type: 'connector.sftp-get',
  version: 1,
  category: 'connector',
  title: 'SFTP get',
  description: 'Reads a file from an SFTP server.',
  inputs: [{ id: 'in', label: 'Message' }],
  outputs: [{ id: 'out', label: 'File', description: '{"path", "size", "content"}.' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection', 'path'],
    properties: {
      connection: { type: 'string', minLength: 1, description: 'A connection of kind sftp.' },
      path: {
        type: 'string',
        pattern: REMOTE_PATH_PATTERN,
        description:
          'Absolute path of the file; {{field}} inserts a value from the message (letters, digits, ".", "_", "-" only).',
      },
      encoding: {
        type: 'string',
        enum: ['utf8', 'base64'],
        default: 'utf8',
        description: 'How the content is given: text, or base64 for binary files.',
      },
      maxBytes: {
        type: 'integer',
        minimum: 1,
        maximum: 52_428_800,
        default: 10_485_760,
        description: 'A larger file fails the step (permanent) instead of filling the trace.',
      },
    },
  },
  defaults: {
    connection: 'partner-sftp',
    path: '/inbound/{{fileName}}',
    encoding: 'utf8',
    maxBytes: 10_485_760,
  },
  connection: { kinds: ['sftp'] },
  sideEffects: false,
  retry: { maxAttempts: 5 },
  docs: 'Reads the file at `path` on the named `sftp` connection and leaves `{"path", "size", "content"}` on `out`, the content as text (`utf8`) or base64. Reading changes nothing, so a safe test run reads too. A missing file fails with a permanent `not-found`, a file over `maxBytes` with `invalid-input`, a lost session is transient. To take every new file of a folder, use the `trigger.sftp` trigger instead. Example: `{"connection": "carrier-sftp", "path": "/outbound/{{fileName}}"}`.',
});
