export * from './readiness-check';
export * from './probes.controller';
export * from './probes.module';
