import { defineNode } from '../../../../sdk/manifest';
import { REMOTE_PATH_PATTERN } from '../remote-path';

export const sftpPutConnector = defineNode({
  type: 'connector.sftp-put',
  version: 1,
  category: 'connector',
  title: 'SFTP put',
  description:
    "Writes a file to a partner's SFTP folder, whole or not at all (temporary name, then rename).",
  inputs: [{ id: 'in', label: 'Message' }],
  outputs: [{ id: 'out', label: 'Written', description: '{"path", "size"} of the file written.' }],
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
      content: {
        'x-expression': true,
        description:
          'json-logic giving the file content: text as it is, anything else as JSON. By default the message (an X12 or CSV string from a generate node is written as it is).',
      },
      encoding: {
        type: 'string',
        enum: ['utf8', 'base64'],
        default: 'utf8',
        description: 'base64: the content is base64 text and the file gets its bytes.',
      },
    },
  },
  defaults: { connection: 'partner-sftp', path: '/outbound/{{id}}.edi', encoding: 'utf8' },
  connection: { kinds: ['sftp'] },
  sideEffects: true,
  retry: { maxAttempts: 5 },
  docs: 'Writes the content to `path` on the named `sftp` connection. The bytes go to a hidden temporary name in the same folder (`.<name>.<random>.part`) and are then renamed over `path` (OpenSSH posix-rename), so a partner that polls the folder never reads half a file; a step that runs again writes the same file again. `{{field}}` placeholders take values from the message, which may hold only letters, digits, `.`, `_` and `-` (never `/` or `..`): a message names a file, never another folder. A safe test run writes nothing and records the file as not sent. Errors: a refused path (permission) is permanent, a lost session transient. Example: `{"connection": "carrier-sftp", "path": "/inbound/214_{{shipmentId}}.edi", "content": {"var": "x12"}}`.',
});
