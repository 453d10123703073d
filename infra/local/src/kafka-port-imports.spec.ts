import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from './workspace-paths';

/** Lints a snippet as if it were the file at `filePath` (the real ESLint CLI and config); returns the restricted-import messages. */
function restrictedImports(filePath: string, code: string): string[] {
  const r = spawnSync(join(workspaceRoot, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', filePath, '--format', 'json'], { cwd: workspaceRoot, input: code, encoding: 'utf8' });
  const [result] = JSON.parse(r.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the Kafka port (only libs/messaging imports a Kafka client)', () => {
  it.each([
    ['libs/service-runtime/src/probe.ts', 'kafkajs'],
    ['services/reporting/src/rebuild/probe.ts', '@platformatic/kafka'],
    ['infra/bench/src/probe.ts', '@confluentinc/kafka-javascript'],
    ['libs/testing/src/probe.int-spec.ts', 'kafkajs'],
  ])('stops %s importing %s', (file, client) => {
    expect(restrictedImports(file, `import * as client from '${client}';\nexport const c = client;\n`)).toEqual([expect.stringContaining('only libs/messaging talks to a Kafka client library')]);
  });

  it('lets libs/messaging import the client it wraps', () => {
    expect(restrictedImports('libs/messaging/src/probe.ts', "import * as client from 'kafkajs';\nexport const c = client;\n")).toEqual([]);
  });

  it('lets everything else use the port', () => {
    expect(restrictedImports('libs/service-runtime/src/probe.ts', "import { tailLog } from '@lead-sla/messaging';\nexport const t = tailLog;\n")).toEqual([]);
  });
});
