import { readFileSync, watchFile, unwatchFile } from 'node:fs';
import { parsePolicy, type Policy } from '@lead-sla/policy';
import type { Logger } from '@lead-sla/platform';

/**
 * The policy file and the newest policy version this process knows of.
 *
 * Policy as events (docs/policy.md): a decision never reads this. The
 * consumer gives each event the policy in force at its position on the log
 * (the PolicyLog); the file is the bootstrap, in force on a partition until
 * its first PolicyPublished. The file is read once at start (an invalid file
 * stops the service); only routing watches it, to publish a changed file as a
 * new version (`watch`). `current()` is the newest version met on the log (or
 * the file before any): what HTTP validation and sign-in use.
 */
export class PolicyProvider {
  private readonly fromFile: Policy;
  private newest: Policy;

  constructor(
    private readonly file: string,
    private readonly logger: Logger,
  ) {
    this.fromFile = PolicyProvider.load(file);
    this.newest = this.fromFile;
  }

  static load(file: string): Policy {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`cannot read policy file ${file}: ${(error as Error).message}`);
    }
    return parsePolicy(text, file);
  }

  /** The policy file as read at start: in force on a partition before its first PolicyPublished. */
  bootstrap(): Policy {
    return this.fromFile;
  }

  /** The newest version known (the log's, or the file before any was published): for HTTP validation and sign-in, never for a decision. */
  current(): Policy {
    return this.newest;
  }

  /** The consumer met a version published later than any before. */
  adopt(policy: Policy): void {
    const previousVersion = this.newest.version;
    this.newest = policy;
    // The file's own version met again on the log is no news.
    if (policy.version !== previousVersion) this.logger.info('newest policy version on the log', { previousVersion, version: policy.version });
  }

  /** Reads the file again (routing publishes it when it changed); throws a PolicyError naming each problem. */
  readFile(): Policy {
    return PolicyProvider.load(this.file);
  }

  get path(): string {
    return this.file;
  }

  /** Calls `changed` when the file changes or on SIGHUP (routing, the one publisher, watches it); returns how to stop. */
  watch(changed: () => void): () => void {
    process.on('SIGHUP', changed);
    watchFile(this.file, { interval: 1000 }, changed);
    const stop = () => {
      process.off('SIGHUP', changed);
      unwatchFile(this.file, changed);
    };
    this.stopWatching = stop;
    return stop;
  }

  /** Stops watching (on app close), so an in-process app does not keep Node alive. */
  close(): void {
    this.stopWatching?.();
    this.stopWatching = null;
  }

  private stopWatching: (() => void) | null = null;
}
