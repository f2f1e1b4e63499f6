import { ATTACHMENT_CHUNK_BYTES, attachmentUrlOf, chunkBytesOf, chunkCountOf } from './rules';

describe('attachment chunking', () => {
  const C = ATTACHMENT_CHUNK_BYTES;

  it('keeps each chunk under NATS 1 MiB default payload once base64-encoded', () => {
    expect(Math.ceil(C / 3) * 4).toBeLessThan(1024 * 1024 - 4096);
  });

  it('counts chunks, an empty file still having one', () => {
    expect(chunkCountOf(0)).toBe(1);
    expect(chunkCountOf(1)).toBe(1);
    expect(chunkCountOf(C)).toBe(1);
    expect(chunkCountOf(C + 1)).toBe(2);
    expect(chunkCountOf(10 * 1024 * 1024)).toBe(40);
  });

  it('gives the exact length of each chunk, the last one holding the rest', () => {
    expect(chunkBytesOf(C + 5, 0)).toBe(C);
    expect(chunkBytesOf(C + 5, 1)).toBe(5);
    expect(chunkBytesOf(2 * C, 1)).toBe(C);
    expect(chunkBytesOf(0, 0)).toBe(0);
  });

  it('knows no chunk outside the file', () => {
    expect(chunkBytesOf(C + 5, 2)).toBe(-1);
    expect(chunkBytesOf(10, -1)).toBe(-1);
    expect(chunkBytesOf(10, 0.5)).toBe(-1);
  });

  it('builds the download url from the id', () => {
    expect(attachmentUrlOf('abc-1')).toBe('/api/attachments/abc-1');
  });
});
