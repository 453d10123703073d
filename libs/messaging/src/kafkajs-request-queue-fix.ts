/**
 * kafkajs 2.2.4 (its last release) re-arms a timer after every broker
 * response, even with nothing pending and no throttle: `throttledUntil` is -1,
 * so the delay is minus the epoch, Node clamps it to 1 ms (printing
 * `TimeoutNegativeWarning`), and every connection then spins a 1 ms loop for
 * as long as it lives (tulios/kafkajs#1704, #1751; fix proposed in #1768, never
 * released). Measured: an idle process with
 * a producer, an admin and a consumer ran ~3,000 such timers a second and
 * spent 15–20 ms of CPU a second; with this fix 0 timers and 2–4 ms
 * (`npm run bench -- kafka-idle`).
 *
 * The fix keeps the library's own rule for the cases that need a timer — a
 * throttle to wait out, or requests pending (checked again every 10 ms, its
 * CHECK_PENDING_REQUESTS_INTERVAL) — and arms none otherwise: a new request is
 * sent at once by `push`, and every response checks the queue again.
 */
interface RequestQueueInternals {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

export function scheduleCheckPendingRequests(this: RequestQueueInternals): void {
  if (this.throttleCheckTimeoutId) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  let delay: number;
  if (this.pending.length > 0) delay = untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS;
  else if (untilUnthrottled > 0) delay = untilUnthrottled;
  else return;
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, delay);
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the class is internal to kafkajs and has no typed export
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueueInternals };
const original = RequestQueue.prototype.scheduleCheckPendingRequests;

/** Installs the fix on kafkajs's RequestQueue (createKafka does, once); refuses loudly if the library no longer has the method it replaces. */
export function installKafkajsRequestQueueFix(requestQueueClass: { prototype: RequestQueueInternals } = RequestQueue): void {
  const proto = requestQueueClass.prototype;
  if (proto.scheduleCheckPendingRequests === scheduleCheckPendingRequests) return;
  if (typeof proto.scheduleCheckPendingRequests !== 'function') {
    throw new Error('kafkajs RequestQueue has no scheduleCheckPendingRequests: the kafkajs version changed; review libs/messaging/src/kafkajs-request-queue-fix.ts');
  }
  proto.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
}

/** Puts kafkajs's own method back: only for `npm run bench -- kafka-idle`, which measures the difference. */
export function uninstallKafkajsRequestQueueFix(): void {
  RequestQueue.prototype.scheduleCheckPendingRequests = original;
}
