/** Readiness probe of a request service: answered only when its database answers too. */
export class HealthRequest {}
export interface HealthReply {
  status: 'ok';
  instance: string;
}
