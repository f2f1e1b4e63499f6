import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

/**
 * Reads the environment once, at boot, into a typed and validated config class whose property
 * names are the variable names. A bad value stops the process with a message naming it.
 */
export function loadConfig<T extends object>(cls: ClassConstructor<T>, env: NodeJS.ProcessEnv = process.env): T {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(cls, present, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
    excludeExtraneousValues: false,
  });
  const errors = validateSync(config, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (e) =>
        `  ${e.property}=${JSON.stringify(env[e.property] ?? null)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    );
    throw new Error(`Invalid configuration for ${cls.name}:\n${lines.join('\n')}`);
  }
  // Only declared keys stay on the object: the rest of the environment is none of its business.
  const declared = new cls() as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!(key in declared)) delete (config as Record<string, unknown>)[key];
  }
  return config;
}
