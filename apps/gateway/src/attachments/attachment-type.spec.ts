import { contentDispositionOf, isAllowedType, mediaTypeOf, safeFileName, typeFromContent } from './attachment-type';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');
const PDF = Buffer.from('%PDF-1.7\n1 0 obj');
const ZIP = Buffer.from('504b0304140000000800', 'hex');

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

  describe(typeFromContent.name, () => {
    it('keeps the declared type when the signature fits it', () => {
      expect(typeFromContent('image/png', PNG)).toBe('image/png');
      expect(typeFromContent('application/pdf', PDF)).toBe('application/pdf');
      expect(typeFromContent('application/vnd.openxmlformats-officedocument.wordprocessingml.document', ZIP)).toBe(
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      );
    });

    it('takes the type the signature names over a wrong declaration', () => {
      expect(typeFromContent('image/jpeg', PNG)).toBe('image/png');
      expect(typeFromContent('text/plain', PDF)).toBe('application/pdf');
      expect(typeFromContent('application/octet-stream', PNG)).toBe('image/png');
    });

    it('accepts text without a signature only as plain UTF-8 text of a text type', () => {
      expect(typeFromContent('text/plain', Buffer.from('hello, wörld\n'))).toBe('text/plain');
      expect(typeFromContent('application/json', Buffer.from('{"a":1}'))).toBe('application/json');
      expect(typeFromContent('text/plain', Buffer.from('<html><script>alert(1)</script>'))).toBeNull();
      expect(typeFromContent('text/plain', Buffer.from('  \ufeff<svg onload=alert(1)>'))).toBeNull();
      expect(typeFromContent('text/plain', Buffer.from([0x66, 0x00, 0x67]))).toBeNull();
      expect(typeFromContent('text/plain', Buffer.from([0xc3, 0x28]))).toBeNull();
    });

    it('refuses a binary type whose content has no matching signature', () => {
      expect(typeFromContent('image/png', Buffer.from('not an image'))).toBeNull();
      expect(typeFromContent('application/octet-stream', Buffer.from('anything'))).toBe('application/octet-stream');
    });
  });
});
