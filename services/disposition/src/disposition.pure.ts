// The disposition service's pure decider for in-process callers (the what-if simulator): re-exports only, no Nest or SQL (lint keeps it so).
export { dispositionDecider } from './disposition.decider';
export { fireDueRequalifications, pendingRequalifications } from './recycle-lead/recycle-lead.decider';
export { INPUT_TYPES as DISPOSITION_INPUT_TYPES, type DeciderContext as DispositionEnv, type InputEvent as DispositionInputEvent } from './domain/decision';
export { dispositionStateOf, type DispositionState } from './domain/disposition-state';
export type { ContactState } from './domain/contact-state';
