import { variablesOf } from '@lead-sla/service-runtime';
import { settingsDocumentationGaps } from '@lead-sla/testing';
import { routingService } from './routing.module';

describe('routing settings', () => {
  it('are the rows of docs/configuration.md that name routing, no more and no fewer', () => {
    expect(settingsDocumentationGaps('routing', variablesOf(routingService))).toEqual({ undocumented: [], notValidated: [] });
  });
});
