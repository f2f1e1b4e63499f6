import { databaseUnavailable } from '@app/mongo';

/** What this service makes of errors that are not DomainErrors: a store outage is UNAVAILABLE. */
export const messageErrors = databaseUnavailable('The message store is unavailable');
