import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const infrastructure = globalThis.__leadSlaInfrastructure;
  if (!infrastructure) return;
  globalThis.__leadSlaInfrastructure = undefined;
  await infrastructure.stop();
  const dir = process.env.LEAD_SLA_TEST_RUN_DIR;
  if (dir && !process.env.KEEP_TEST_DATA) rmSync(dir, { recursive: true, force: true });
}
