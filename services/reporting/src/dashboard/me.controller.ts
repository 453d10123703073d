import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AccessControl, Authenticator, CurrentPrincipal, Guarded, teamsManagedBy, type Principal } from '@lead-sla/auth';
import { closeOutRequirements } from '@lead-sla/policy';
import { PolicyProvider } from '@lead-sla/service-runtime';

/**
 * GET /api/me — who the dashboard's viewer is and what the page should
 * offer them: the slices of the board that are theirs, which reps' leads
 * they may act on, whom they may reinstate, and the policy's codes. Every
 * answer comes from the one authorization table (decideAccess), so the page
 * hides what the services would refuse; the services still decide each action.
 */
@Controller('api')
@ApiTags('dashboard')
export class MeController {
  constructor(
    private readonly policies: PolicyProvider,
    private readonly access: AccessControl,
    private readonly authenticator: Authenticator,
  ) {}

  // Guarded only to authenticate: it answers about the caller themselves.
  @Get('me')
  @Guarded('reports.read')
  @ApiOperation({
    summary: 'Who the caller is and what the dashboard offers them',
    description:
      "The caller's id and role, the slices of the board that are theirs, per rep whether they may act on that rep's leads, reassign them or reinstate the rep (from the one authorization table), and the policy's reject reasons and disposition codes.",
  })
  @ApiResponse({ status: 200, description: 'The caller.', schema: { type: 'object' } })
  me(@CurrentPrincipal() principal: Principal) {
    const policy = this.policies.current();
    const allowed = (action: Parameters<AccessControl['decide']>[1]) => this.access.decide(principal, action).allowed;
    const everything = allowed({ kind: 'reports.read' });
    const role = principal.kind === 'person' ? principal.role : principal.kind === 'demo' ? 'admin' : 'machine';
    const name = principal.kind === 'person' ? (policy.reps.find((r) => r.id === principal.id)?.name ?? principal.id) : principal.id;
    // The slices of the board and scorecards to ask for: everything, the teams a manager runs, or the rep's own.
    const scopes: Array<{ team?: string; rep?: string }> = everything
      ? [{}]
      : principal.kind === 'person' && principal.role === 'manager'
        ? teamsManagedBy(policy, principal.id).map((team) => ({ team }))
        : principal.kind === 'person'
          ? [{ rep: principal.id }]
          : [];
    return {
      id: principal.id,
      kind: principal.kind,
      role,
      name,
      demo: this.authenticator.demo,
      policyVersion: policy.version,
      /** The viewer may run a what-if of a candidate policy (the what-if page): admins. */
      whatIf: allowed({ kind: 'policy.simulate' }),
      scopes,
      teams: policy.teams.map((t) => ({ id: t.id, name: t.name ?? t.id, managerId: t.managerId })),
      reps: policy.reps.map((r) => ({
        id: r.id,
        name: r.name ?? r.id,
        teamId: r.teamId,
        /** The viewer may accept, reject and record dispositions on this rep's leads. */
        actOnLeads: allowed({ kind: 'lead.accept', ownerRepId: r.id }),
        /** The viewer may move this rep's leads to another rep (and give queued leads to this rep). */
        reassignFrom: allowed({ kind: 'lead.reassign', ownerRepId: r.id, toRepId: r.id }),
        reassignTo: allowed({ kind: 'lead.reassign', ownerRepId: null, toRepId: r.id }),
        reinstate: allowed({ kind: 'rep.reinstate', repId: r.id }),
      })),
      rejectReasons: policy.dispositions.rejectReasons.map((r) => ({ code: r.code, label: r.label ?? r.code, requiresText: r.requiresText })),
      dispositionCodes: policy.dispositions.codes.map((c) => ({ code: c.code, label: c.label ?? c.code, closes: c.closes, ...closeOutRequirements(c) })),
    };
  }
}
