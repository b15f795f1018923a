import {
  type ConnectionCommon,
  type ConnectionKindSpec,
  commonProperties,
  endpointProperties,
  type NetworkEndpoint,
  secretNameSchema,
  type UserPasswordAuth,
  userPasswordAuthSchema,
} from './common';

export type SftpAuth =
  | UserPasswordAuth
  | {
      type: 'private-key';
      usernameSecret: string;
      /** OpenSSH or PEM private key text. */
      privateKeySecret: string;
      passphraseSecret?: string;
    };

/** An SFTP server (a partner's or our own drop box). */
export interface SftpConnection extends ConnectionCommon, NetworkEndpoint {
  kind: 'sftp';
  auth: SftpAuth;
  /**
   * The server's host key as `SHA256:<base64>` (what `ssh-keygen -lf` prints): the connection is
   * refused when the server shows another key.
   */
  hostKeySha256?: string;
}

export const sftpKind: ConnectionKindSpec<SftpConnection> = {
  kind: 'sftp',
  title: 'SFTP server',
  defaultPort: () => 22,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'system', 'host', 'auth'],
    properties: {
      kind: { const: 'sftp' },
      ...commonProperties,
      ...endpointProperties,
      hostKeySha256: {
        type: 'string',
        pattern: '^SHA256:[A-Za-z0-9+/]{43}=?$',
        description: 'The server host key fingerprint (`ssh-keygen -lf`); another key is refused.',
      },
      auth: {
        oneOf: [
          userPasswordAuthSchema,
          {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'usernameSecret', 'privateKeySecret'],
            properties: {
              type: { const: 'private-key' },
              usernameSecret: secretNameSchema,
              privateKeySecret: secretNameSchema,
              passphraseSecret: secretNameSchema,
            },
          },
        ],
      },
    },
  },
  secretNames(c) {
    const auth = c.auth;
    if (auth.type === 'basic') return [auth.usernameSecret, auth.passwordSecret];
    return [auth.usernameSecret, auth.privateKeySecret, auth.passphraseSecret].filter(
      (s): s is string => typeof s === 'string',
    );
  },
};
