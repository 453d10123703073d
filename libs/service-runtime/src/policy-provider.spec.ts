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

  it('keeps the file as read at start: editing it changes no decision until it is published', () => {
    writeFileSync(file, example);
    const provider = new PolicyProvider(file, recordingLogger().logger);
    writeFileSync(file, example.replace('version: "2026-11-24.1"', 'version: "2026-11-24.2"'));

    expect(provider.bootstrap().version).toBe('2026-11-24.1');
    expect(provider.current().version).toBe('2026-11-24.1');
    expect(provider.readFile().version).toBe('2026-11-24.2');
  });

  it('tells what is wrong with an edited file when it is read again', () => {
    writeFileSync(file, example);
    const provider = new PolicyProvider(file, recordingLogger().logger);
    writeFileSync(file, example.replace('capacity: 20 }', 'capacity: -1 }'));
    expect(() => provider.readFile()).toThrow(/reps\.0\.capacity/);
  });

  it('answers the newest version met on the log as the current one, and says so', () => {
    writeFileSync(file, example);
    const { logger, lines } = recordingLogger();
    const provider = new PolicyProvider(file, logger);
    const published = { ...provider.bootstrap(), version: '2026-11-24.9' };
    provider.adopt(published);

    expect(provider.current()).toBe(published);
    expect(provider.bootstrap().version).toBe('2026-11-24.1');
    expect(lines).toContainEqual({ level: 'info', message: 'newest policy version on the log', fields: { previousVersion: '2026-11-24.1', version: '2026-11-24.9' } });
  });
});
