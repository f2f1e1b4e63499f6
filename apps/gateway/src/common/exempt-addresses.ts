import ipaddr from 'ipaddr.js';
import { ValidationOptions, registerDecorator } from 'class-validator';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Dotted quads and IPv6 only: ipaddr.js would also take legacy forms such as `1.2.3`. */
function strictAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  throw new Error(`not an IP address: ${text}`);
}

function parseRange(item: string): Range {
  const [text, bits, ...rest] = item.split('/');
  const address = strictAddress(text);
  const max = address.kind() === 'ipv4' ? 32 : 128;
  if (bits === undefined) return [address, max];
  const n = Number(bits);
  if (rest.length > 0 || !/^\d{1,3}$/.test(bits) || n > max) throw new Error(`not a CIDR range: ${item}`);
  return [address, n];
}

function parseList(list: string): Range[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(parseRange);
}

/**
 * RATE_LIMIT_EXEMPT: client addresses and CIDR ranges (IPv4 or IPv6, comma-separated) that no rate
 * limit applies to — load tests, trusted internal clients. Empty by default: every limit applies.
 */
export class ExemptAddresses {
  private readonly ranges: Range[];

  constructor(list: string) {
    this.ranges = parseList(list);
  }

  has(address: string): boolean {
    if (this.ranges.length === 0 || !ipaddr.isValid(address)) return false;
    let parsed = ipaddr.parse(address);
    if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
      parsed = (parsed as ipaddr.IPv6).toIPv4Address();
    }
    return this.ranges.some(([range, bits]) => parsed.kind() === range.kind() && parsed.match(range, bits));
  }
}

/** class-validator rule: a list ExemptAddresses can parse. */
export function IsAddressList(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isAddressList',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be comma-separated addresses or CIDR ranges', ...options },
      validator: {
        validate(value: unknown): boolean {
          if (typeof value !== 'string') return false;
          try {
            parseList(value);
            return true;
          } catch {
            return false;
          }
        },
      },
    });
}
