import { formatShares, placeOf, summariseProfile, type CpuProfile } from './cpu-profile';

describe('where a service\'s CPU went, from its V8 profile', () => {
  it('names a frame\'s place: a package, OpenTelemetry as one, a project folder, GC, the runtime', () => {
    expect(placeOf('file:///work/main/node_modules/kafkajs/src/consumer/index.js', 'fetch')).toBe('kafkajs');
    expect(placeOf('file:///x/node_modules/@opentelemetry/sdk-trace-base/build/src/Span.js', 'Span')).toBe('OpenTelemetry');
    expect(placeOf('file:///x/node_modules/@nestjs/core/router.js', 'handle')).toBe('@nestjs/core');
    expect(placeOf('/work/main/services/routing/src/domain/routing-state.util.ts', 'withEntry')).toBe('services/routing');
    expect(placeOf('/work/main/libs/messaging/src/outbox.ts', 'insertOutboxRows')).toBe('libs/messaging');
    expect(placeOf('', '(garbage collector)')).toBe('GC');
    expect(placeOf('node:internal/streams/writable', 'write')).toBe('Node.js runtime');
    expect(placeOf('', 'writev')).toBe('Node.js runtime');
  });

  it('counts self time in the last window only, leaves idle out, and ranks places and functions', () => {
    const frame = (id: number, functionName: string, url: string) => ({ id, callFrame: { functionName, url } });
    // 10 samples of 1 ms: the first 4 (start-up, outside a 6 ms window) are module loading.
    const profile: CpuProfile = {
      nodes: [frame(1, 'wrapSafe', 'node:internal/modules/cjs/loader'), frame(2, '(idle)', ''), frame(3, 'decide', '/r/services/routing/src/routing.decider.ts'), frame(4, '(garbage collector)', '')],
      startTime: 0,
      endTime: 10_000,
      samples: [1, 1, 1, 1, 3, 3, 3, 4, 2, 2],
      timeDeltas: Array(10).fill(1000),
    };
    const summary = summariseProfile(profile, 6);
    expect(summary.busyMs).toBe(4);
    expect(summary.byPlace).toEqual([['services/routing', 0.75], ['GC', 0.25]]);
    expect(summary.topFunctions[0]).toEqual(['decide [services/routing]', 0.75]);
    expect(formatShares(summary.byPlace, 1)).toBe('services/routing 75%');
    expect(summariseProfile(profile, 10).byPlace[0]).toEqual(['Node.js runtime', 0.5]);
  });
});
