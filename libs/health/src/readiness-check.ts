/** One thing a service needs in order to serve: it is ready only while every check passes. */
export interface ReadinessCheck {
  /** Its key in the /readyz answer: `nats`, `store`, `index`. */
  readonly name: string;
  /** Resolves while the dependency answers; throws, saying why, when it does not. */
  check(): Promise<void>;
}

/** Injection token of the service's readiness checks. */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
