import type { SandboxSecrets } from '@crossdock/sandbox';

/**
 * Development secrets the sandbox checks when the process environment does not set them; the
 * runtime reads the same names, so `pnpm start` works from a clean clone. Each is distinctive:
 * the runtime redacts every secret value wherever it appears in logs and traces.
 */
export const DEV_SANDBOX_SECRETS: SandboxSecrets = {
  ERP_API_KEY: 'dev-erp-api-key',
  WMS_TOKEN: 'dev-wms-token',
  TMS_USER: 'dev-tms-user',
  TMS_PASSWORD: 'dev-tms-password',
};

/**
 * Development logins of the services beyond HTTP that the sandbox provisions: the ERP's staging
 * database login (created when missing) and the carrier SFTP drop's user.
 */
export const DEV_PARTNER_SECRETS = {
  ERP_DB_USER: 'crossdock_erp_dev',
  ERP_DB_PASSWORD: 'dev-erp-db-password',
  CARRIER_SFTP_USER: 'dev-carrier-sftp',
  CARRIER_SFTP_PASSWORD: 'dev-carrier-sftp-password',
} as const;
