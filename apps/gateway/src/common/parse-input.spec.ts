import 'reflect-metadata';
import { ErrorCode } from '@app/contracts';
import { IsString } from 'class-validator';
import { parseInput } from './parse-input';

class Body {
  @IsString()
  name!: string;
}

async function failure(value: unknown): Promise<{ code?: ErrorCode; message?: string }> {
  try {
    await parseInput(Body, value);
  } catch (e) {
    return e as { code: ErrorCode; message: string };
  }
  throw new Error('expected a failure');
}

describe(parseInput.name, () => {
  it('returns the validated instance', async () => {
    await expect(parseInput(Body, { name: 'x' })).resolves.toEqual({ name: 'x' });
  });

  it('names a harmless unknown property', async () => {
    expect(await failure({ name: 'x', colour: 'red' })).toMatchObject({
      code: ErrorCode.VALIDATION_FAILED,
      message: 'unknown property colour',
    });
  });

  it('never echoes an operator-shaped key', async () => {
    const { code, message } = await failure({ name: 'x', $where: 'sleep(1000)' });
    expect(code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(message).not.toContain('$where');
  });

  it('refuses non-objects', async () => {
    expect((await failure('text')).code).toBe(ErrorCode.VALIDATION_FAILED);
    expect((await failure([{ name: 'x' }])).code).toBe(ErrorCode.VALIDATION_FAILED);
  });
});
