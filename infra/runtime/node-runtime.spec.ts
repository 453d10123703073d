import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Node.js 24 LTS is the supported runtime: the commands (tools/run.js), the Docker image and
// package.json engines must name the same major, and an older Node.js must hand over to the pinned one.
const root = join(__dirname, '../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const pinned = /const PINNED_NODE = '(\d+)\.(\d+)\.(\d+)';/.exec(read('tools/run.js'));
const pinnedMajor = Number(pinned?.[1]);

describe('the supported Node.js runtime', () => {
  it('is one major everywhere: tools/run.js, the Dockerfile image and package.json engines', () => {
    expect(pinned).not.toBeNull();
    expect(pinnedMajor % 2).toBe(0); // even majors are the LTS lines
    expect(read('Dockerfile')).toMatch(new RegExp(`^ARG NODE_IMAGE=node:${pinnedMajor}-bookworm-slim$`, 'm'));
    expect((JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node).toBe(`>=${pinnedMajor}`);
  });

  it('re-runs a command under the pinned Node.js when this one is older, and runs it directly otherwise', () => {
    // A stand-in for the pinned binary records how it was called, so the test needs no download.
    const dir = mkdtempSync(join(tmpdir(), 'lead-sla-node-'));
    const fake = join(dir, 'node');
    writeFileSync(fake, `#!/bin/sh\necho "stand-in node: $* mark=$LEAD_SLA_NODE_REEXEC path=$PATH"\nexit 7\n`);
    chmodSync(fake, 0o755);
    const r = spawnSync(process.execPath, [join(root, 'tools/run.js'), 'no-such-command', 'x'], { encoding: 'utf8', env: { ...process.env, LEAD_SLA_NODE: fake, LEAD_SLA_NODE_REEXEC: '' } });
    if (Number(process.versions.node.split('.')[0]) < pinnedMajor) {
      expect(r.stdout).toContain(`the supported runtime is Node.js ${pinnedMajor} LTS. Re-running this command with ${fake}`);
      expect(r.stdout).toContain(`stand-in node: ${join(root, 'tools/run.js')} no-such-command x mark=1 path=${dir}:`);
      expect(r.status).toBe(7);
    } else {
      expect(r.stdout).not.toContain('stand-in node');
      expect(r.stderr).toContain('unknown command "no-such-command"');
      expect(r.status).toBe(1);
    }
  });
});
