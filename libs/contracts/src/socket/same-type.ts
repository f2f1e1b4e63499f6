/** `true` when A and B are the same type, not merely assignable one way (a class with more fields is). */
export type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
