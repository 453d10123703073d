import { Client } from 'pg';
import { uniqueKeys } from '@lead-sla/messaging';
import { foldInputs } from '@lead-sla/decider';
import { ProjectionStore } from '../project-events/projection-store.repository';
import { ReportingDeciderService } from '../project-events/reporting-decider.service';
import { changesOf } from '../project-events/reporting-projections.evolve';
import { setup } from '../testing/reporting-database.setup';
import { at, leadAssigned, leadCreated, leadTouched, salDecided, slaBreached, slaClockStarted } from '../testing/lead-events.fixture';
import { compare, createShadowTables, txOfClient } from './rebuild-projections';
import { ShadowTablesRepository } from './shadow-tables.repository';

// Text and JSON a COPY line could break on: quotes, backslashes (also one that reads as COPY's null marker), tabs,
// newlines, carriage returns, unicode beyond the BMP, and nulls.
const AWKWARD = 'He said "hi" \\ C:\\temp\\N\ttab\nline\r\nend — Zoë 漢字 🚀 O\'Brien';
const LEAD = 'copy-lead';
const events = [
  leadCreated(LEAD, at(0), { source: AWKWARD, segment: '\\N', territory: 'tab\there', contact: { contactKey: `${AWKWARD}@example.com`, email: 'zoë@example.com' } }),
  leadAssigned(LEAD, at(1), 'rep-\t1'),
  slaClockStarted(LEAD, at(1), 'first_touch', { clockId: 'c\n1', ownerRepId: 'rep-\t1', deadline: at(11) }),
  slaBreached(LEAD, at(11), 'first_touch', { clockId: 'c\n1', ownerRepId: 'rep-\t1', startedAt: at(1), deadline: at(11) }),
  leadTouched(LEAD, at(12), 'rep-\t1'),
  salDecided(LEAD, at(13), 'rejected', 'rep-\t1', 'bad_fit', AWKWARD),
  // Unassigned, untouched: its row is mostly nulls.
  leadCreated('copy-plain', at(2)),
];

describe('the rebuild\'s COPY into the shadow tables on real Postgres', () => {
  let fixture: Awaited<ReturnType<typeof setup>>;
  let client: Client;
  const shadow = 'reporting_copy_check';

  beforeAll(async () => {
    fixture = await setup();
    client = new Client({ connectionString: fixture.ctx.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await fixture?.ctx.close();
  });

  it('writes awkward text and JSON values exactly as the live store\'s jsonb path does, row for row', async () => {
    await fixture.ctx.project(events);

    await createShadowTables(client, 'reporting', shadow);
    const bulk = new ShadowTablesRepository(shadow);
    await bulk.prepare(client);
    const tx = txOfClient(client);
    const store = new ProjectionStore(shadow);
    const projections = new ReportingDeciderService(store);
    await client.query('BEGIN');
    const before = await projections.load(tx, uniqueKeys(projections, events), events);
    const { state } = foldInputs(projections, before, events, () => null, new Date());
    await bulk.write(client, changesOf(before, state));
    await store.rebuildCells(tx);
    await client.query('COMMIT');

    const [row] = await client.query(`SELECT source, segment, territory, row->>'rejectReason' AS reason FROM "${shadow}".lead_rows WHERE lead_id = $1`, [LEAD]).then((r) => r.rows);
    expect(row).toEqual({ source: AWKWARD, segment: '\\N', territory: 'tab\there', reason: AWKWARD });
    const differences = await compare(tx, 'reporting', shadow);
    expect(Object.values(differences).every((n) => n === 0)).toBe(true);
    const [counts] = await client.query(`SELECT (SELECT count(*) FROM "${shadow}".lead_rows)::int AS leads, (SELECT count(*) FROM "${shadow}".breach_rows)::int AS breaches, (SELECT count(*) FROM "${shadow}".clock_instances)::int AS clocks`).then((r) => r.rows);
    expect(counts).toEqual({ leads: 2, breaches: 1, clocks: 1 });
  });
});
