import type { BenchScenario } from '../bench-scenario';
import { e2eScenario } from './e2e.scenario';
import { kafkaClientsScenario } from './kafka-clients.scenario';
import { kafkaIdleScenario } from './kafka-idle.scenario';
import { reportingScenario } from './reporting.scenario';
import { routingScenario } from './routing.scenario';
import { storageScenario } from './storage.scenario';
import { timerScenario } from './timer.scenario';
import { whatIfScenario } from './what-if.scenario';

/** Every scenario `npm run bench -- <name>` knows; add new ones here. */
export const scenarios: readonly BenchScenario[] = [e2eScenario, timerScenario, routingScenario, reportingScenario, whatIfScenario, storageScenario, kafkaClientsScenario, kafkaIdleScenario];
