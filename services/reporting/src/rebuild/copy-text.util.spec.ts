import type { Column } from '../project-events/read-model-columns';
import { copyTextRows, copyTextValue } from './copy-text.util';

const text: Column = { name: 't', type: 'text' };
const json: Column = { name: 'j', type: 'jsonb' };

describe('COPY text encoding', () => {
  it('escapes the bytes the format gives a meaning to, and nothing else', () => {
    expect(copyTextValue(text, 'a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyTextValue(text, 'O\'Brien "quoted" — Zoë 漢字 🚀')).toBe('O\'Brien "quoted" — Zoë 漢字 🚀');
    expect(copyTextValue(text, '\\N')).toBe('\\\\N');
  });

  it('writes null and a missing value as \\N, and numbers and booleans as text', () => {
    expect(copyTextValue(text, null)).toBe('\\N');
    expect(copyTextValue(text, undefined)).toBe('\\N');
    expect(copyTextValue({ name: 'n', type: 'double precision' }, 0.1)).toBe('0.1');
    expect(copyTextValue({ name: 'b', type: 'boolean' }, false)).toBe('false');
  });

  it('writes a jsonb value as its JSON text with the backslashes of its escapes doubled', () => {
    expect(copyTextValue(json, { note: 'say "hi"\n\tto C:\\temp', none: null })).toBe('{"note":"say \\\\"hi\\\\"\\\\n\\\\tto C:\\\\\\\\temp","none":null}');
    // A jsonb column holding a JSON string: the quotes stay, it is not taken for a text value.
    expect(copyTextValue(json, 'plain')).toBe('"plain"');
  });

  it('writes rows as tab-separated lines in the columns\' order', () => {
    expect(copyTextRows([text, json], [{ t: 'a', j: [1] }, { j: null }])).toBe('a\t[1]\n\\N\t\\N\n');
  });
});
