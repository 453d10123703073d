import { variablesOf } from '@lead-sla/service-runtime';
import { settingsDocumentationGaps } from '@lead-sla/testing';
import { timerService } from './timer.module';

describe('timer settings', () => {
  it('are the rows of docs/configuration.md that name timer, no more and no fewer', () => {
    expect(settingsDocumentationGaps('timer', variablesOf(timerService))).toEqual({ undocumented: [], notValidated: [] });
  });
});
