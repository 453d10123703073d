import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '@lead-sla/service-runtime';
import { generateApiKey, hashApiKey, type Scope } from './api-key.util';

export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly ratePerSecond: number | null;
  readonly burst: number | null;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

interface Row {
  id: string;
  name: string;
  scopes: Scope[];
  rate_per_second: number | null;
  burst: number | null;
  created_at: Date;
  revoked_at: Date | null;
}

const toRecord = (r: Row): ApiKeyRecord => ({
  id: r.id,
  name: r.name,
  scopes: r.scopes,
  ratePerSecond: r.rate_per_second,
  burst: r.burst,
  createdAt: new Date(r.created_at).toISOString(),
  revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
});

/** API keys in ingest.api_keys; only their SHA-256 is stored. */
@Injectable()
export class ApiKeyRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async findActiveByKey(key: string): Promise<ApiKeyRecord | null> {
    const rows: Row[] = await this.dataSource.query(`SELECT * FROM ingest.api_keys WHERE key_hash = $1 AND revoked_at IS NULL`, [hashApiKey(key)]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async create(input: { name: string; scopes: readonly Scope[]; ratePerSecond?: number | null; burst?: number | null }): Promise<{ record: ApiKeyRecord; key: string }> {
    const { id, key } = generateApiKey();
    const rows: Row[] = await this.dataSource.query(
      `INSERT INTO ingest.api_keys (id, name, key_hash, scopes, rate_per_second, burst) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [id, input.name, hashApiKey(key), input.scopes, input.ratePerSecond ?? null, input.burst ?? null],
    );
    return { record: toRecord(rows[0]), key };
  }

  /**
   * Installs the bootstrap admin key from INGEST_ADMIN_KEY once, hashed under
   * a fixed id. An existing row is never touched, so a revoked bootstrap key
   * stays revoked even while the variable is still set. Answers what it found.
   */
  async createBootstrapAdminOnce(key: string): Promise<'created' | 'active' | 'revoked' | 'different-key'> {
    const hash = hashApiKey(key);
    const created = await this.dataSource.query(
      `INSERT INTO ingest.api_keys (id, name, key_hash, scopes) VALUES ('bootstrap-admin', 'INGEST_ADMIN_KEY', $1, ARRAY['admin','ingest','read'])
       ON CONFLICT DO NOTHING RETURNING id`,
      [hash],
    );
    if (created.length > 0) return 'created';
    const [row]: Array<{ key_hash: string; revoked_at: Date | null }> = await this.dataSource.query(`SELECT key_hash, revoked_at FROM ingest.api_keys WHERE id = 'bootstrap-admin'`);
    if (!row || row.key_hash !== hash) return 'different-key';
    return row.revoked_at ? 'revoked' : 'active';
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows: Row[] = await this.dataSource.query(`SELECT * FROM ingest.api_keys ORDER BY created_at, id`);
    return rows.map(toRecord);
  }

  async revoke(id: string): Promise<boolean> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [rows] = (await this.dataSource.query(`UPDATE ingest.api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id`, [id])) as [unknown[], number];
    return rows.length > 0;
  }
}
