import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { reportingOpenApi } from './reporting-openapi.document';

/** Writes the checked-in copy of the OpenAPI document (docs/openapi/reporting.openapi.json). */
export const openApiFile = join(__dirname, '../../../../docs/openapi/reporting.openapi.json');

if (require.main === module) {
  mkdirSync(dirname(openApiFile), { recursive: true });
  writeFileSync(openApiFile, `${JSON.stringify(reportingOpenApi, null, 2)}\n`);
  process.stdout.write(`wrote ${openApiFile}\n`);
}
