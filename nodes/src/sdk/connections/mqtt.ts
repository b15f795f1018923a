import {
  type ConnectionCommon,
  type ConnectionKindSpec,
  commonProperties,
  endpointProperties,
  type NetworkEndpoint,
  type NoAuth,
  noAuthSchema,
  sharedAuthSecretNames,
  type TlsSettings,
  tlsSchema,
  tlsSecretNames,
  type UserPasswordAuth,
  userPasswordAuthSchema,
} from './common';

/** An MQTT broker (Mosquitto, EMQX, HiveMQ, a cloud IoT hub). */
export interface MqttConnection extends ConnectionCommon, NetworkEndpoint {
  kind: 'mqtt';
  /** 4 = MQTT 3.1.1 (default), 5 = MQTT 5. */
  protocolVersion?: 4 | 5;
  auth?: NoAuth | UserPasswordAuth;
  tls?: TlsSettings;
}

export interface MqttMessage {
  topic: string;
  body: string;
  qos: 0 | 1 | 2;
  retain?: boolean;
}

export interface MqttReceipt {
  topic: string;
  qos: 0 | 1 | 2;
}

/** What a step on an `mqtt` connection may do (see `NodeContext.transport('mqtt')`). */
export interface MqttCapability {
  /** Resolves once the broker acknowledged the message (PUBACK at QoS 1, PUBCOMP at QoS 2). */
  publish(message: MqttMessage): Promise<MqttReceipt>;
}

export const mqttKind: ConnectionKindSpec<MqttConnection> = {
  kind: 'mqtt',
  title: 'MQTT broker',
  defaultPort: (c) => (c.tls ? 8883 : 1883),
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'system', 'host'],
    properties: {
      kind: { const: 'mqtt' },
      ...commonProperties,
      ...endpointProperties,
      protocolVersion: { enum: [4, 5], description: '4 = MQTT 3.1.1 (default), 5 = MQTT 5.' },
      auth: { oneOf: [noAuthSchema, userPasswordAuthSchema] },
      tls: tlsSchema,
    },
  },
  secretNames: (c) => [...sharedAuthSecretNames(c.auth), ...tlsSecretNames(c.tls)],
};
