export * from './domain/contact-state';
export * from './domain/decision';
export { evolve } from './domain/contact.evolve';
export { decide, handle, handleDue, emittedFacts, type EventIdFor, type Handled } from './disposition.decider';
export { dispositionCatalogue, type DispositionCatalogue, type DispositionRule, type DispositionEffect } from './record-disposition/disposition-catalogue';
export { validateDisposition, type DispositionValidation } from './record-disposition/validate-disposition';
export { effortSoFar, minimumEffortProblem, type EffortSoFar } from './record-disposition/minimum-effort';
export { requalifyDue, nextRequalifyAt, REJECTED_MQL_RECYCLE } from './recycle-lead/recycle-lead.decider';
