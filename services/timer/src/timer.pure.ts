// The timer's pure decider for in-process callers (the what-if simulator): re-exports only, no Nest or SQL (lint keeps it so).
export { timerDecider } from './apply-lead-event/lead-timer.decider';
export { fireDue } from './fire-deadline/fire-deadline.decider';
export { timerChanges } from './domain/timer-changes.util';
export { TIMER_INPUT_TYPES, type LeadTimerState, type TimerEnv, type TimerInputEvent, type TimerState } from './domain/timer-state';
