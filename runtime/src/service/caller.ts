import type { Role } from '../infra/config';

/** Who called a service: the role of the API key, the person it names, and the key's fingerprint. */
export interface Caller {
  role: Role;
  /** Who did it, as recorded on replays, discards and deployments. */
  actor: string;
  /** A fingerprint of the API key itself (not the self-declared user name): four-eyes rules compare it. */
  keyId: string;
}
