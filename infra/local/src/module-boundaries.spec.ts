import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from './workspace-paths';

/** Lints a snippet as if it were the file at `filePath` (the real ESLint CLI and config); returns the boundary rule's messages. */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const r = spawnSync(join(workspaceRoot, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', filePath, '--format', 'json'], {
    cwd: workspaceRoot,
    input: code,
    encoding: 'utf8',
  });
  const [result] = JSON.parse(r.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('Nx module boundaries', () => {
  beforeAll(() => {
    // The rule reads the cached project graph; computing it takes a second.
    execFileSync('npx', ['nx', 'show', 'projects'], { cwd: workspaceRoot, stdio: 'ignore' });
  }, 60_000);

  it('stop contracts from depending on anything of the workspace', async () => {
    const errors = await boundaryErrors('contracts/src/probe.ts', "import { addCoverage } from '@lead-sla/sla-clock';\nexport const a = addCoverage;\n");
    expect(errors).toEqual([expect.stringContaining('type:contracts')]);
  });

  it('stop domain libraries from depending on infrastructure', async () => {
    const errors = await boundaryErrors('libs/sla-clock/src/probe.ts', "import { createLogger } from '@lead-sla/platform';\nexport const l = createLogger;\n");
    expect(errors).toEqual([expect.stringContaining('type:domain')]);
  });

  it('stop one service from importing another', async () => {
    const errors = await boundaryErrors('services/timer/src/probe.ts', "import { routingService } from '../../routing/src/routing.module';\nexport const r = routingService;\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('let a service use the infrastructure libraries', async () => {
    const errors = await boundaryErrors('services/timer/src/probe.ts', "import { createKafka } from '@lead-sla/messaging';\nexport const k = createKafka;\n");
    expect(errors).toEqual([]);
  });

  it('let the what-if simulator import exactly the services\' pure entry points', async () => {
    const errors = await boundaryErrors('libs/what-if/src/probe.ts', "import { decideRouting } from '@lead-sla/routing-pure';\nexport const d = decideRouting;\n");
    expect(errors).toEqual([]);
  });

  it('stop the what-if simulator from importing anything else of a service', async () => {
    const errors = await boundaryErrors('libs/what-if/src/probe.ts', "import { RoutingStateRepository } from '../../../services/routing/src/route-event/routing-state.repository';\nexport const r = RoutingStateRepository;\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('stop a service from importing another service\'s pure entry point', async () => {
    const errors = await boundaryErrors('services/routing/src/probe.ts', "import { timerDecider } from '@lead-sla/timer-pure';\nexport const t = timerDecider;\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('stop a service from importing the what-if simulator', async () => {
    const errors = await boundaryErrors('services/reporting/src/probe.ts', "import { runWhatIf } from '@lead-sla/what-if';\nexport const r = runWhatIf;\n");
    expect(errors.length).toBeGreaterThan(0);
  });
});
