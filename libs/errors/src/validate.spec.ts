import 'reflect-metadata';
import { IsString } from 'class-validator';
import { ErrorCode } from '@app/contracts';
import { DomainError } from './domain-error';
import { parsePayload } from './validate';

class Named {
  @IsString()
  name!: string;
}

const codeOf = (value: unknown) =>
  parsePayload(Named, value).then(
    () => 'OK',
    (err: unknown) => (err instanceof DomainError ? err.code : 'THROWN'),
  );

describe(parsePayload.name, () => {
  it('validates a plain payload into an instance of its class', async () => {
    const sut = await parsePayload(Named, { name: 'x' });
    expect(sut).toBeInstanceOf(Named);
    expect(sut.name).toBe('x');
  });

  it('refuses prototype keys at any depth, leaving Object.prototype alone', async () => {
    const hostile = [
      JSON.parse('{"name":"x","__proto__":{"polluted":true}}'),
      { name: { constructor: { prototype: { polluted: true } } } },
      { name: 'x', prototype: 1 },
      { name: [{ a: [{ constructor: 'x' }] }] },
    ];
    for (const value of hostile) expect(await codeOf(value)).toBe(ErrorCode.VALIDATION_FAILED);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a payload nested deeper than any of the contract', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = { a: deep };
    expect(await codeOf({ name: 'x', deep })).toBe(ErrorCode.VALIDATION_FAILED);
  });

  it('refuses what is not an object, and unknown properties', async () => {
    for (const value of [null, 'x', 3, [{ name: 'x' }], { name: 'x', extra: 1 }, { name: 4 }]) {
      expect(await codeOf(value)).toBe(ErrorCode.VALIDATION_FAILED);
    }
  });
});
