import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allEventJsonSchemas } from './json-schema';
import { asyncApiYaml } from './asyncapi';

const root = join(__dirname, '..');

describe('checked-in schema exports', () => {
  it('contracts/json-schema matches the runtime schemas (run `npm run contracts:export` after a change)', () => {
    const generated = allEventJsonSchemas();
    const files = readdirSync(join(root, 'json-schema')).sort();
    expect(files).toEqual(Object.keys(generated).map((n) => `${n}.json`).sort());
    for (const [name, schema] of Object.entries(generated)) {
      expect(JSON.parse(readFileSync(join(root, 'json-schema', `${name}.json`), 'utf8'))).toEqual(schema);
    }
  });

  it('contracts/asyncapi.yaml matches the catalogue', () => {
    expect(readFileSync(join(root, 'asyncapi.yaml'), 'utf8')).toBe(asyncApiYaml());
  });
});
