/** Input rules of the contract, shared by every edge that checks them. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
export const CLIENT_MSG_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const BODY_MAX = 4000;
export const ROOM_NAME_MAX = 80;
export const HISTORY_LIMIT_MAX = 100;
export const HISTORY_LIMIT_DEFAULT = 50;
export const MISSED_MAX = 200;
/** Ids are opaque; anything longer than this names nothing we ever issued. */
export const ID_MAX = 128;

/** Length in Unicode code points, as the contract counts. */
export function codePointLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}
