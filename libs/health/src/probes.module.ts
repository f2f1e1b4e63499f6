import { DynamicModule, Module, Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ProbesController } from './probes.controller';
import { READINESS_CHECKS, ReadinessCheck } from './readiness-check';

/** `/healthz` and `/readyz` (@nestjs/terminus) over the given readiness checks. */
@Module({})
export class ProbesModule {
  static forRoot(checks: Type<ReadinessCheck>[]): DynamicModule {
    return {
      module: ProbesModule,
      // The checks log their own failures (once per probe would be noise on top).
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [ProbesController],
      providers: [
        ...checks,
        { provide: READINESS_CHECKS, useFactory: (...found: ReadinessCheck[]) => found, inject: checks },
      ],
    };
  }
}
