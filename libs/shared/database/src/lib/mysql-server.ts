import type { DatabaseConfig } from '@oneroster/config';

/** How mysql2 reaches the server of a MySQL/MariaDB configuration, no database chosen. */
export function serverConnection(
  config: Extract<DatabaseConfig, { kind: 'mysql' }>,
): { host: string; port: number; user: string; password: string } {
  return {
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
  };
}
