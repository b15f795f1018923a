import { defineNode } from '../../../sdk/manifest';

const FOLDER = {
  type: 'string',
  pattern: '^/(?!.*(^|/)\\.\\.?(/|$))[^\\\\\\u0000-\\u001f*?]*$',
} as const;

export const sftpTrigger = defineNode({
  type: 'trigger.sftp',
  version: 1,
  category: 'trigger',
  title: 'SFTP folder',
  description:
    'Starts one run per file a partner drops in an SFTP folder, then moves the file to an archive or error folder.',
  inputs: [],
  outputs: [
    {
      id: 'out',
      label: 'File',
      description: '{"fileName", "path", "size", "modifiedAt", "content"}',
    },
  ],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection', 'folder', 'archiveFolder', 'errorFolder'],
    properties: {
      connection: { type: 'string', minLength: 1, description: 'A connection of kind sftp.' },
      folder: { ...FOLDER, description: 'The folder to watch, e.g. "/outbound/214".' },
      pattern: {
        type: 'string',
        minLength: 1,
        maxLength: 200,
        pattern: '^[^/\\\\]+$',
        default: '*',
        description: 'Glob the file names must match, e.g. "*.edi" or "214_*.{x12,edi}".',
      },
      archiveFolder: { ...FOLDER, description: 'Where a file goes once its run succeeded.' },
      errorFolder: { ...FOLDER, description: 'Where a file goes once its run failed.' },
      intervalMs: {
        type: 'integer',
        minimum: 1000,
        maximum: 86_400_000,
        default: 30_000,
        description: 'How often the folder is listed.',
      },
      maxFiles: {
        type: 'integer',
        minimum: 1,
        maximum: 1000,
        default: 50,
        description:
          'Files started per listing at most (oldest first); the rest wait for the next.',
      },
      maxBytes: {
        type: 'integer',
        minimum: 1,
        maximum: 52_428_800,
        default: 10_485_760,
        description: 'A larger file is not started: it goes to the error folder.',
      },
      encoding: {
        type: 'string',
        enum: ['utf8', 'base64'],
        default: 'utf8',
        description: 'How the content is given to the flow: text, or base64 for binary files.',
      },
    },
  },
  defaults: {
    connection: 'partner-sftp',
    folder: '/outbound',
    pattern: '*',
    archiveFolder: '/archive',
    errorFolder: '/error',
    intervalMs: 30_000,
    maxFiles: 50,
    maxBytes: 10_485_760,
    encoding: 'utf8',
  },
  connection: { kinds: ['sftp'] },
  sideEffects: false,
  activation: { kind: 'poll', transport: 'sftp', interval: 'intervalMs' },
  docs: 'Lists `folder` on the named `sftp` connection every `intervalMs` (one worker per interval, however many run) and starts one run per plain file whose name matches `pattern` (hidden files and the `.part` files of a writer are skipped). The run\'s message is `{"fileName", "path", "size", "modifiedAt", "content", "encoding"}`. When the run has succeeded the file is moved to `archiveFolder`, when it failed to `errorFolder` (as `<run id>-<name>`); the failed run is in the exception queue and can be replayed from the recorded content. A file is never processed twice, even across restarts and several workers: each file (path, size and modification time) is claimed in Redis before its run starts, and the run id derives from it. A file over `maxBytes` is moved to the error folder without a run. Follows the active version like webhooks and schedules. Example: `{"connection": "carrier-sftp", "folder": "/outbound/214", "pattern": "*.edi", "archiveFolder": "/archive/214", "errorFolder": "/error/214", "intervalMs": 60000}`.',
});
