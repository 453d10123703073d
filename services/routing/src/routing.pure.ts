// Routing's pure decider for in-process callers (the what-if simulator): re-exports only, no Nest or SQL (lint keeps it so).
export { decideRouting } from './routing.decider';
export { evolveRouting } from './routing.evolve';
export { routingInputTypes, type RoutingInputEvent } from './domain/routing-events.types';
export type { LeadRoutingState, RoutingEnv, RoutingState } from './domain/routing-state.types';
export { teamShiftPort } from './route-event/team-shift.port';
