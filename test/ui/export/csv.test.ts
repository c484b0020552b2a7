import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csv, csvCell } from '../../../src/ui/export/csv';

/** The cell's text as a spreadsheet reads it: quotes removed, doubled quotes undone. */
function unquote(cell: string): string {
  return cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
}

describe('csv', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3+cmd|x', "'-2+3+cmd|x"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
  ])('a text cell %j that a spreadsheet would run is neutralised as %j', (text, cell) => {
    expect(csvCell(text)).toBe(cell);
  });

  it('numbers stay numbers, negative ones included, and so does text that is exactly a number', () => {
    expect(csvCell(-0.0011)).toBe('-0.0011');
    expect(csvCell(-1e-7)).toBe('-1e-7');
    expect(csvCell('-0.5')).toBe('-0.5');
    expect(csvCell('+3')).toBe('+3');
    expect(csvCell('1e-3')).toBe('1e-3');
    expect(csvCell(null)).toBe('');
    expect(csv([['a', -1, null, '=1']])).toBe("a,-1,,'=1\n");
  });

  it('no text cell reaches a spreadsheet starting with a formula character unless it is a plain number', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const read = unquote(csvCell(text));
        const plainNumber = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i.test(text);
        if (plainNumber) expect(read).toBe(text);
        else expect(read).toBe(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
      }),
    );
  });

  it('every number comes back exactly', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(Number(csvCell(n))).toBe(n === 0 ? 0 : n);
      }),
    );
  });
});
