import { ErrorCode } from '@app/contracts';
import { DomainError } from '@app/errors';

/**
 * Which browser origins may use a session held in the `sid` cookie (cross-site request forgery and
 * cross-site WebSocket hijacking): the gateway's own (the Origin's host is the request's Host) and
 * those listed in ALLOWED_ORIGINS. A request without `Origin` is not from a page of another site
 * (browsers send it on every cross-origin request); `Origin: null` (a sandboxed or file page) is refused.
 * Bearer tokens are not ambient credentials and need no such check.
 */
export class OriginPolicy {
  private readonly allowed: Set<string>;

  constructor(list: string) {
    this.allowed = new Set(
      list
        .split(',')
        .map((s) => s.trim().replace(/\/+$/, '').toLowerCase())
        .filter((s) => s !== ''),
    );
  }

  /** The allow-list (for CORS), empty by default. */
  get origins(): string[] {
    return [...this.allowed];
  }

  allows(origin: string | undefined, host: string | undefined): boolean {
    if (origin === undefined) return true;
    const normalized = origin.trim().replace(/\/+$/, '').toLowerCase();
    if (this.allowed.has(normalized)) return true;
    let url: URL;
    try {
      url = new URL(normalized);
    } catch {
      return false;
    }
    return host !== undefined && url.host === host.toLowerCase();
  }

  /** Throws FORBIDDEN when a cookie-authenticated request comes from a page of another origin. */
  assert(origin: string | undefined, host: string | undefined): void {
    if (!this.allows(origin, host)) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'Requests from this origin may not use the session cookie');
    }
  }
}
