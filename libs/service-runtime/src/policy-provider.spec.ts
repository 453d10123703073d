import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolicyError } from '@lead-sla/policy';
import type { Logger } from '@lead-sla/platform';
import { PolicyProvider } from './policy-provider';

const example = readFileSync(join(__dirname, '../../../infra/policy/example.policy.yaml'), 'utf8');

function recordingLogger() {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => lines.push({ level, message, fields });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

describe('policy provider', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'policy-provider-'));
    file = join(dir, 'policy.yaml');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to start on an invalid policy, naming the file, the path and the problem', () => {
    writeFileSync(file, example.replace('defaultPool: emea', 'defaultPool: nowhere'));
    const start = () => new PolicyProvider(file, recordingLogger().logger);
    expect(start).toThrow(PolicyError);
    expect(start).toThrow(`invalid policy ${file}`);
    expect(start).toThrow(/routing\.defaultPool: unknown pool "nowhere"/);
  });

  it('keeps the policy in force when a reload is invalid, and says why', () => {
    writeFileSync(file, example);
    const { logger, lines } = recordingLogger();
    const provider = new PolicyProvider(file, logger);
    writeFileSync(file, example.replace('version: "2026-11-24.1"', 'version: "2026-11-24.2"').replace('capacity: 20 }', 'capacity: -1 }'));

    expect(provider.reload()).toBe(false);
    expect(provider.current().version).toBe('2026-11-24.1');
    const rejected = lines.find((l) => l.level === 'error');
    expect(rejected?.message).toBe('policy reload rejected; keeping the policy in force');
    expect(rejected?.fields).toMatchObject({ file, version: '2026-11-24.1', error: expect.stringMatching(/reps\.0\.capacity/) });
  });

  it('switches to a valid new version and tells its listeners', () => {
    writeFileSync(file, example);
    const provider = new PolicyProvider(file, recordingLogger().logger);
    const seen: string[] = [];
    provider.onChange((p) => seen.push(p.version));
    writeFileSync(file, example.replace('version: "2026-11-24.1"', 'version: "2026-11-24.2"'));

    expect(provider.reload()).toBe(true);
    expect(provider.current().version).toBe('2026-11-24.2');
    expect(seen).toEqual(['2026-11-24.2']);
  });
});
