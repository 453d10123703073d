// Integration and end-to-end tests talk to a real broker and database: give them minutes, not seconds.
jest.setTimeout(Number(process.env.SLOW_TEST_TIMEOUT_MS ?? 180_000));
