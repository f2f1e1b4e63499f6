import { ExemptAddresses } from './exempt-addresses';

describe(ExemptAddresses.name, () => {
  it('exempts nothing by default', () => {
    const sut = new ExemptAddresses('');
    expect(sut.has('127.0.0.1')).toBe(false);
    expect(sut.has('::1')).toBe(false);
  });

  it('matches addresses and CIDR ranges of both families, IPv4-mapped IPv6 as IPv4', () => {
    const sut = new ExemptAddresses(' 127.0.0.0/8, ::1 ,10.1.2.3, 2001:db8::/32');
    for (const yes of ['127.0.0.1', '127.255.0.9', '::1', '10.1.2.3', '::ffff:127.0.0.1', '2001:db8::42']) {
      expect(sut.has(yes)).toBe(true);
    }
    for (const no of ['128.0.0.1', '10.1.2.4', '::2', '2001:db9::1', 'unknown', '', '127.0.0.1/8']) {
      expect(sut.has(no)).toBe(false);
    }
  });

  it('refuses a malformed list', () => {
    for (const bad of ['127.0.0.0/33', 'localhost', '10.0.0.0/8,nope', '1.2.3']) {
      expect(() => new ExemptAddresses(bad)).toThrow();
    }
  });
});
