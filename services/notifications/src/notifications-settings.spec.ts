import { variablesOf } from '@lead-sla/service-runtime';
import { settingsDocumentationGaps } from '@lead-sla/testing';
import { notificationsService } from './notifications.module';

describe('notifications settings', () => {
  it('are the rows of docs/configuration.md that name notifications, no more and no fewer', () => {
    expect(settingsDocumentationGaps('notifications', variablesOf(notificationsService))).toEqual({ undocumented: [], notValidated: [] });
  });
});
