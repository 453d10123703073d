import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allEventJsonSchemas, asyncApiYaml } from '../src';

/** Writes contracts/json-schema/<Type>.v<N>.json and contracts/asyncapi.yaml from the runtime schemas. */
const root = join(__dirname, '..');
const dir = join(root, 'json-schema');
mkdirSync(dir, { recursive: true });
for (const f of readdirSync(dir)) rmSync(join(dir, f));
const schemas = allEventJsonSchemas();
for (const [name, schema] of Object.entries(schemas)) writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(schema, null, 2)}\n`);
writeFileSync(join(root, 'asyncapi.yaml'), asyncApiYaml());
process.stdout.write(`wrote ${Object.keys(schemas).length} JSON Schemas to contracts/json-schema and contracts/asyncapi.yaml\n`);
