import { variablesOf } from '@lead-sla/service-runtime';
import { settingsDocumentationGaps } from '@lead-sla/testing';
import { ingestService } from './ingest.module';

describe('ingest settings', () => {
  it('are the rows of docs/configuration.md that name ingest, no more and no fewer', () => {
    expect(settingsDocumentationGaps('ingest', variablesOf(ingestService))).toEqual({ undocumented: [], notValidated: [] });
  });
});
