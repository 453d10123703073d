import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeProblems, type ComposeSources } from './compose-file';

// The static half of the compose smoke test (compose-smoke.e2e-spec.ts): each mutation is a real mistake it must catch.
const root = join(__dirname, '../../..');
const real: ComposeSources = {
  compose: readFileSync(join(root, 'docker-compose.yml'), 'utf8'),
  configuration: readFileSync(join(root, 'docs/configuration.md'), 'utf8'),
  dockerfile: readFileSync(join(root, 'Dockerfile'), 'utf8'),
};
const once = (text: string, from: string, to: string) => {
  if (!text.includes(from)) throw new Error(`the mutation's anchor is gone from the file: ${from}`);
  return text.replace(from, to);
};
const routingProbe = `test: ["CMD", "node", "-e", "fetch('http://127.0.0.1:3001/health/ready')`;

describe('docker-compose.yml and the Dockerfile, checked without a Docker engine', () => {
  it('have no problem as checked in', () => {
    expect(composeProblems(real)).toEqual([]);
  });

  it.each([
    ['a service without a healthcheck', { compose: once(real.compose, '    healthcheck:\n      test: ["CMD-SHELL", "pg_isready', '    x-healthcheck:\n      test: ["CMD-SHELL", "pg_isready') }, 'compose service postgres: runs until stopped but has no healthcheck'],
    ['a dependency that waits only for the start of a service with a healthcheck', { compose: once(real.compose, '      kafka:\n        condition: service_healthy\n      postgres:', '      kafka:\n        condition: service_started\n      postgres:') }, 'compose service routing: waits for kafka with "service_started"; it must be "service_healthy"'],
    ['a service that starts before its migration finished', { compose: once(real.compose, 'migrate-timer:\n        condition: service_completed_successfully', 'migrate-timer:\n        condition: service_started') }, 'compose service timer: waits for migrate-timer with "service_started"; it must be "service_completed_successfully"'],
    ['a misspelt variable', { compose: once(real.compose, 'ROUTING_URL: http://routing:3001', 'ROUTNG_URL: http://routing:3001') }, 'compose service reporting: sets ROUTNG_URL, which docs/configuration.md does not document'],
    ['a variable given to a service that does not read it', { compose: once(real.compose, '      INGEST_ADMIN_KEY: ${INGEST_ADMIN_KEY:-}', '      INGEST_ADMIN_KEY: ${INGEST_ADMIN_KEY:-}\n      ROUTING_URL: http://routing:3001') }, 'compose service ingest: sets ROUTING_URL, which docs/configuration.md documents for reporting, not ingest'],
    ['a healthcheck on another port than the service listens on', { compose: once(real.compose, routingProbe, routingProbe.replace('3001', '3002')) }, 'compose service routing: its healthcheck probes port 3002 but it listens on PORT=3001'],
    ['a served service without its database', { compose: once(real.compose, '      DATABASE_URL: postgres://lead_sla_timer:${TIMER_DB_PASSWORD:?set TIMER_DB_PASSWORD (docs/security.md)}@postgres:5432/lead_sla\n      PORT: "3002"', '      PORT: "3002"') }, 'compose service timer: serves without DATABASE_URL'],
    ['an image built on an end-of-life Node.js', { dockerfile: once(real.dockerfile, 'ARG NODE_IMAGE=node:24-bookworm-slim', 'ARG NODE_IMAGE=node:20-bookworm-slim') }, 'Dockerfile: a stage is built FROM node:20-bookworm-slim; the image must be built on node:24'],
    ['a service with neither image nor build', { compose: once(real.compose, '    image: apache/kafka:3.9.1\n', '') }, 'compose service kafka: no image and no build'],
  ])('catch %s', (_, mutation, problem) => {
    // A missing healthcheck also shows in every service that waits for it to be healthy.
    expect(composeProblems({ ...real, ...mutation })).toEqual(expect.arrayContaining([expect.stringContaining(problem)]));
  });

  it('say so when the file does not parse', () => {
    expect(composeProblems({ ...real, compose: 'services: [unclosed' })).toEqual([expect.stringMatching(/^docker-compose.yml does not parse: /)]);
  });
});
