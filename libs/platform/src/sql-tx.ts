import type { QueryRunner } from 'typeorm';

/** The slice of a database transaction that use cases see: SQL in, rows out. */
export interface Tx {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a statement and returns the number of rows it affected. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
}

export function txOf(runner: QueryRunner): Tx {
  return {
    async query<R>(sql: string, params?: readonly unknown[]) {
      const result = await runner.query(sql, params as unknown[] | undefined, true);
      return result.records as R[];
    },
    async execute(sql: string, params?: readonly unknown[]) {
      const result = await runner.query(sql, params as unknown[] | undefined, true);
      return result.affected ?? 0;
    },
  };
}
