import { startLocalPostgres } from '@lead-sla/local-infra';

/**
 * One Postgres for the fault-injection suite, in a process of its own so the
 * suite can crash it (SIGQUIT to the postmaster: immediate shutdown, every
 * open transaction lost, crash recovery at the next start) and start it
 * again on the same data folder and port. Args: --dir=<folder> --port=<n>.
 * Prints {"url": …} once ready; SIGTERM stops it cleanly.
 */
async function main(): Promise<void> {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const dir = arg('dir');
  const port = Number(arg('port'));
  if (!dir || !Number.isInteger(port)) throw new Error('usage: postgres.main.ts --dir=<folder> --port=<n>');
  const pg = await startLocalPostgres({ dir, port });
  process.stdout.write(`${JSON.stringify({ url: pg.url })}\n`);
  const stop = () => void pg.stop().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  process.stderr.write(`postgres failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
