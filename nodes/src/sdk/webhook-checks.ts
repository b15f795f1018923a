import { type Diagnostic, diagnostic } from './diagnostics';
import { declaredSecrets, type Environment } from './environment';
import { isJsonObject, type JsonObject } from './json';

interface WebhookNode {
  index: number;
  id: string;
  type: string;
  config: JsonObject;
}

/**
 * Webhook triggers: a signature secret must be one the environment declares (not any process
 * variable such as HOME), and an idempotency key on an unsigned hook is flagged, since anyone
 * who can reach the hook can then claim future keys (order numbers) before the real sender.
 */
export function checkWebhooks(
  doc: JsonObject,
  nodes: readonly WebhookNode[],
  environment: Environment | undefined,
  out: Diagnostic[],
): void {
  const settings = isJsonObject(doc.settings) ? doc.settings : {};
  const hasIdempotencyKey = settings.idempotencyKey !== undefined;
  const declared = environment ? declaredSecrets(environment) : undefined;
  for (const n of nodes) {
    if (n.type !== 'trigger.webhook') continue;
    const secret = n.config.signatureSecret;
    const signed = typeof secret === 'string' && secret !== '';
    if (!signed && hasIdempotencyKey) {
      out.push(
        diagnostic(
          'warning',
          'webhook.unsigned-idempotency',
          `Node "${n.id}" accepts unsigned deliveries while the flow has an idempotency key: anyone who reaches the hook can claim a future key (an order number) first, and the real delivery is then answered "duplicate". Set signatureSecret (docs/security.md).`,
          ['nodes', n.index, 'config'],
          { nodeId: n.id },
        ),
      );
    }
    if (signed && declared && !declared.has(secret)) {
      out.push(
        diagnostic(
          'error',
          'webhook.undeclared-secret',
          `Node "${n.id}" names the signature secret "${secret}", which the "${environment?.name}" environment does not declare; add it to the environment's "secrets" list.`,
          ['nodes', n.index, 'config', 'signatureSecret'],
          { nodeId: n.id },
        ),
      );
    }
  }
}
