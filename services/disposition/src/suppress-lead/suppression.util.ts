import type { Suppression } from '../domain/contact-state';

/** "do not contact: disposition "do_not_contact" on lead "L1" at …; reason: …" */
export function describeSuppression(s: Suppression): string {
  const what =
    s.cause === 'consent_withdrawn'
      ? `consent withdrawn on lead "${s.leadId}" at ${s.since}`
      : `disposition "${s.code ?? 'unknown'}" on lead "${s.leadId}" at ${s.since}`;
  return s.reason ? `${what}; reason: ${s.reason}` : what;
}
