import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withoutCsp } from '../vite.config';

describe('the dev server drops the built site’s Content-Security-Policy', () => {
  it('finds the meta tag in index.html as it is laid out, and leaves every other tag', () => {
    const html = readFileSync('index.html', 'utf8');
    expect(html).toMatch(/http-equiv="Content-Security-Policy"/);
    const dev = withoutCsp(html);
    expect(dev).not.toMatch(/Content-Security-Policy"/);
    expect(dev).toContain('<meta name="viewport"');
    expect(dev).toContain('<meta name="color-scheme"');
  });

  it('also on one line, in either attribute order', () => {
    const one =
      '<head>\n  <meta http-equiv="Content-Security-Policy" content="style-src \'self\'" />\n  <title>x</title>';
    const swapped =
      '<head><meta content="default-src \'self\'"\n http-equiv="Content-Security-Policy"><title>x</title>';
    expect(withoutCsp(one)).toBe('<head>\n  <title>x</title>');
    expect(withoutCsp(swapped)).toBe('<head><title>x</title>');
  });
});
