import { messagingTablesMigration, policyLogMigration } from '@lead-sla/messaging';
import { IngestTables1764000000400 } from './1764000000400-ingest-tables.migration';
import { IdentityApiKeysView1764000000410 } from './1764000000410-identity-api-keys-view.migration';

export const ingestMigrations = [messagingTablesMigration('ingest', 1763999999400), IngestTables1764000000400, IdentityApiKeysView1764000000410, policyLogMigration('ingest', 1764000000905)];
