import { MAX_MENTIONS } from '@app/contracts';
import { mentionedNames } from './mention-names';

describe('mentionedNames', () => {
  it('finds @names at the start, after spaces and punctuation, lower-cased and once each', () => {
    expect(mentionedNames('@Alice hi @bob_2, and (@carol.d) — @ALICE again')).toEqual(['alice', 'bob_2', 'carol.d']);
  });

  it('ignores addresses, too-short or too-long names, and a bare @', () => {
    expect(mentionedNames('mail alice@example.com or @ab or @ alone')).toEqual([]);
    expect(mentionedNames(`@${'x'.repeat(33)}`)).toEqual([]);
  });

  it('drops a trailing sentence dot and stops at MAX_MENTIONS', () => {
    expect(mentionedNames('thanks @dave.')).toEqual(['dave']);
    const many = Array.from({ length: 50 }, (_, i) => `@user${i}`).join(' ');
    expect(mentionedNames(many)).toHaveLength(MAX_MENTIONS);
  });
});
