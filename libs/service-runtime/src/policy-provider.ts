import { readFileSync, watchFile, unwatchFile } from 'node:fs';
import { parsePolicy, type Policy } from '@lead-sla/policy';
import type { Logger } from '@lead-sla/platform';

/**
 * The policy in force. Loaded at start (an invalid file stops the service);
 * reloaded when the file changes or on SIGHUP: an invalid reload keeps the
 * policy in force and logs why.
 */
export class PolicyProvider {
  private policy: Policy;
  private readonly listeners: Array<(p: Policy) => void> = [];

  constructor(
    private readonly file: string,
    private readonly logger: Logger,
  ) {
    this.policy = PolicyProvider.load(file);
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

  current(): Policy {
    return this.policy;
  }

  onChange(listener: (p: Policy) => void): void {
    this.listeners.push(listener);
  }

  /** Returns true when a new valid policy was loaded. */
  reload(): boolean {
    try {
      const next = PolicyProvider.load(this.file);
      if (next.version === this.policy.version && JSON.stringify(next) === JSON.stringify(this.policy)) return false;
      const previous = this.policy.version;
      this.policy = next;
      this.logger.info('policy reloaded', { file: this.file, previousVersion: previous, version: next.version });
      for (const l of this.listeners) l(next);
      return true;
    } catch (error) {
      this.logger.error('policy reload rejected; keeping the policy in force', {
        file: this.file, version: this.policy.version, error: (error as Error).message,
      });
      return false;
    }
  }

  watch(): () => void {
    const onHup = () => this.reload();
    process.on('SIGHUP', onHup);
    watchFile(this.file, { interval: 1000 }, () => this.reload());
    const stop = () => {
      process.off('SIGHUP', onHup);
      unwatchFile(this.file);
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
