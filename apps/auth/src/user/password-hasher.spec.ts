import { PasswordHasher } from './password-hasher';

describe(PasswordHasher.name, () => {
  const sut = new PasswordHasher();

  it('hashes with argon2id and a fresh salt each time', async () => {
    const a = await sut.hash('correct horse battery');
    const b = await sut.hash('correct horse battery');
    expect(a).toMatch(/^\$argon2id\$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse battery');
  });

  it('verifies the right password and rejects a wrong one', async () => {
    const h = await sut.hash('pässwörd-🔑-long');
    await expect(sut.verify(h, 'pässwörd-🔑-long')).resolves.toBe(true);
    await expect(sut.verify(h, 'pässwörd-🔑-lonG')).resolves.toBe(false);
  });

  it('treats a malformed stored hash as no match instead of throwing', async () => {
    await expect(sut.verify('not-a-hash', 'whatever1')).resolves.toBe(false);
  });

  it('answers false for the dummy verification', async () => {
    await expect(sut.verifyDummy('whatever1')).resolves.toBe(false);
  });
});
