import { contentDispositionOf, isAllowedType, mediaTypeOf, safeFileName } from './attachment-type';

describe('attachment types', () => {
  it('normalises a declared type: lower case, parameters dropped', () => {
    expect(mediaTypeOf('Text/Plain; charset=UTF-8')).toBe('text/plain');
    expect(mediaTypeOf(undefined)).toBe('');
  });

  it('allows images, pdf and plain text', () => {
    for (const t of ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain']) {
      expect(isAllowedType(t)).toBe(true);
    }
  });

  it('refuses what a browser could run script from, and anything unlisted', () => {
    for (const t of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'application/javascript', '']) {
      expect(isAllowedType(t)).toBe(false);
    }
  });

  it('keeps the last path segment of a name, without control characters', () => {
    expect(safeFileName('C:\\Users\\me\\report.pdf')).toBe('report.pdf');
    expect(safeFileName('../../etc/pass\u0000wd')).toBe('passwd');
    expect(safeFileName('  ')).toBe('file');
    expect(safeFileName('..')).toBe('file');
    expect(Array.from(safeFileName('é'.repeat(300)))).toHaveLength(255);
  });

  it('serves images inline and the rest as attachments, with a safe quoted name', () => {
    expect(contentDispositionOf('image/png', 'a.png')).toBe(`inline; filename="a.png"; filename*=UTF-8''a.png`);
    const pdf = contentDispositionOf('application/pdf', 'rapport "été";.pdf');
    expect(pdf.startsWith('attachment; filename="rapport __t___.pdf"')).toBe(true);
    expect(pdf).toContain(`filename*=UTF-8''rapport%20%22%C3%A9t%C3%A9%22%3B.pdf`);
  });
});
