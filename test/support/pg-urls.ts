/** Name of the migrated template database each test file clones. */
export const TEMPLATE_DB = 'switchboard_test_template';

/** The same server URL with another database name. */
export function serverUrlWithDb(serverUrl: string, dbName: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
}
