import { variablesOf } from '@lead-sla/service-runtime';
import { settingsDocumentationGaps } from '@lead-sla/testing';
import { reportingService } from './reporting.module';

describe('reporting settings', () => {
  it('are the rows of docs/configuration.md that name reporting, no more and no fewer', () => {
    expect(settingsDocumentationGaps('reporting', variablesOf(reportingService))).toEqual({ undocumented: [], notValidated: [] });
  });
});
