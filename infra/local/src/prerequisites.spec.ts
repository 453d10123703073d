import { chromiumCandidates, chromiumPlan } from './prerequisites';

describe('the Chromium prerequisite of the browser tests', () => {
  const looked = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

  it('looks at CHROMIUM_PATH when set, else at the Debian package binaries', () => {
    expect(chromiumCandidates({ CHROMIUM_PATH: '/opt/chrome/chrome' })).toEqual(['/opt/chrome/chrome']);
    expect(chromiumCandidates({})).toEqual(looked);
  });

  it('uses the binary it found', () => {
    expect(chromiumPlan({ found: '/usr/bin/chromium', looked, root: false, debian: false })).toEqual({ use: '/usr/bin/chromium' });
  });

  it('installs it with apt-get only as root on Debian', () => {
    expect(chromiumPlan({ found: null, looked, root: true, debian: true })).toEqual({ install: true });
  });

  it('otherwise says exactly what is missing and how to install it', () => {
    const plan = chromiumPlan({ found: null, looked, root: false, debian: true });
    expect(plan).toEqual({ missing: expect.stringContaining('none was found at /usr/bin/chromium or /usr/bin/chromium-browser') });
    expect(plan).toEqual({ missing: expect.stringContaining('`apt-get install -y chromium`') });
  });
});
