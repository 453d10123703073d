import { installKafkajsRequestQueueFix, uninstallKafkajsRequestQueueFix } from './kafkajs-request-queue-fix';

// The real class from kafkajs, as createKafka fixes it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js');

function queue() {
  const logger = { debug: () => undefined, warn: () => undefined, error: () => undefined, info: () => undefined };
  return new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 30_000, enforceRequestTimeout: true, clientId: 'test', broker: 'b:9092', logger });
}

describe('the kafkajs request queue fix (no 1 ms timer loop on idle connections)', () => {
  beforeAll(() => installKafkajsRequestQueueFix());
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-11-30T12:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('arms no timer when nothing is pending and nothing is throttled (kafkajs 2.2.4 armed a 1 ms one after every response)', () => {
    const q = queue();
    q.checkPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('waits out a throttle, then checks the queue once', () => {
    const q = queue();
    q.throttledUntil = Date.now() + 250;
    const check = jest.spyOn(q, 'checkPendingRequests');
    q.scheduleCheckPendingRequests();
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(249);
    expect(check).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(check).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('re-checks pending requests every 10 ms while they wait, and stops once they are gone', () => {
    const q = queue();
    q.pending.push({ marker: 1 });
    q.canSendSocketRequestImmediately = () => false;
    q.scheduleCheckPendingRequests();
    jest.advanceTimersByTime(10);
    expect(jest.getTimerCount()).toBe(1); // still pending: armed again
    q.pending.length = 0;
    jest.advanceTimersByTime(10);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('arms the 1 ms loop again without the fix (what `npm run bench -- kafka-idle` compares against)', () => {
    uninstallKafkajsRequestQueueFix();
    try {
      queue().checkPendingRequests();
      expect(jest.getTimerCount()).toBe(1);
    } finally {
      installKafkajsRequestQueueFix();
    }
  });

  it('refuses a kafkajs whose queue no longer has the method it replaces', () => {
    expect(() => installKafkajsRequestQueueFix({ prototype: {} as never })).toThrow(/kafkajs version changed/);
  });
});
