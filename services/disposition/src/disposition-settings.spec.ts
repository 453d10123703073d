import { variablesOf } from '@lead-sla/service-runtime';
import { settingsDocumentationGaps } from '@lead-sla/testing';
import { dispositionService } from './disposition.module';

describe('disposition settings', () => {
  it('are the rows of docs/configuration.md that name disposition, no more and no fewer', () => {
    expect(settingsDocumentationGaps('disposition', variablesOf(dispositionService))).toEqual({ undocumented: [], notValidated: [] });
  });
});
