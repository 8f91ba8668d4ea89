import type { DataSource } from 'typeorm';

/**
 * Writes the TypeScript source of a migration that brings `ds` (already migrated to the
 * latest existing migration) to the entities' schema. Used by `npm run db -- generate`.
 */
export async function generateMigrationSource(
  ds: DataSource,
  className: string,
): Promise<string | null> {
  const sql = await ds.driver.createSchemaBuilder().log();
  if (sql.upQueries.length === 0) return null;
  const isMysql = ds.options.type === 'mysql';
  const q = (s: string) => JSON.stringify(s);
  const up = sql.upQueries.map((u) => {
    let text = u.query;
    // Binary collation: sourcedIds compare and sort by code point, as on SQLite.
    if (isMysql && /^CREATE TABLE/.test(text))
      text += ' DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';
    return `    await queryRunner.query(${q(text)});`;
  });
  const down = sql.downQueries
    .slice()
    .reverse()
    .map((d) => `    await queryRunner.query(${q(d.query)});`);
  return `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${up.join('\n')}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${down.join('\n')}
  }
}
`;
}
