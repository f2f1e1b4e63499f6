import { Message } from './message.schema';

/**
 * What a seq of a failed batch holds, looked up after the fact (the driver's error report is not
 * trusted: FerretDB and mongod word it differently, and a lost connection reports nothing):
 * - `mine`: the very document this batch wrote (stored: announce and ack it);
 * - `same`: this send, but written by another writer (a concurrent retry): ack that one;
 * - `taken`: another send (another instance won the seq);
 * - `free`: nothing.
 */
export type SeqState = 'mine' | 'same' | 'taken' | 'free';

export interface BatchOutcome {
  states: SeqState[];
  /** Highest seq such that it and every seq below it exist: where the next attempt starts. */
  known: number;
  /**
   * The first send of the batch not stored by it, if its seq is free. An ordered insert stops at
   * the first refusal, so with a duplicate key this is the send refused by its (author,
   * clientMsgId) index: it was stored before, elsewhere.
   */
  firstFree?: number;
  /** Whether a send of the batch lost its seq to another send (another instance is ahead). */
  overtaken: boolean;
}

export function sameSend(a: Message, b: Message): boolean {
  return a.author.id === b.author.id && a.clientMsgId === b.clientMsgId;
}

/**
 * The position of the refused document in an ordered insertMany, as the driver reports it
 * (`writeErrors[0].index`; mongod and FerretDB both fill it), or undefined. A hint only: the
 * caller checks it against the stored documents before relying on it.
 */
export function reportedRefusal(err: unknown, batchSize: number): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
  const first: unknown = Array.isArray(writeErrors) ? writeErrors[0] : writeErrors;
  const index = typeof first === 'object' && first !== null ? (first as { index?: unknown }).index : undefined;
  return Number.isInteger(index) && (index as number) >= 0 && (index as number) < batchSize
    ? (index as number)
    : undefined;
}

export function stateOf(doc: Message, holder: Message | null): SeqState {
  if (!holder) return 'free';
  if (!sameSend(doc, holder)) return 'taken';
  // Identical down to the millisecond and body: ours (a false 'mine' only repeats an event).
  const mine = holder.body === doc.body && new Date(holder.createdAt).getTime() === doc.createdAt.getTime();
  return mine ? 'mine' : 'same';
}

/** `docs` hold consecutive seqs, `holders[i]` what seq `docs[i].seq` holds now. */
export function sortOutBatch(docs: Message[], holders: (Message | null)[]): BatchOutcome {
  const states = docs.map((doc, i) => stateOf(doc, holders[i]));
  let known = docs.length > 0 ? docs[0].seq - 1 : 0;
  for (let i = 0; i < docs.length && states[i] !== 'free'; i++) known = docs[i].seq;
  // The refused send: the first that is not ours (an ordered insert tried none after it).
  const refused = states.findIndex((s) => s !== 'mine');
  return {
    states,
    known,
    firstFree: refused >= 0 && states[refused] === 'free' ? refused : undefined,
    overtaken: states.includes('taken'),
  };
}
