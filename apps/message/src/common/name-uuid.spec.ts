import { nameUuid } from './name-uuid';

const DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

describe(nameUuid.name, () => {
  it('matches the RFC 9562 example (www.example.com in the DNS namespace)', () => {
    expect(nameUuid(DNS, 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('is stable and depends on both namespace and name', () => {
    const other = '6f1c2a9e-4b7d-4e0a-9c3f-58d21e7b4a60';
    expect(nameUuid(DNS, 'a')).toBe(nameUuid(DNS, 'a'));
    expect(nameUuid(DNS, 'a')).not.toBe(nameUuid(DNS, 'b'));
    expect(nameUuid(DNS, 'a')).not.toBe(nameUuid(other, 'a'));
  });
});
