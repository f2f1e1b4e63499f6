import { membershipIdOf } from './membership-id';

describe(membershipIdOf.name, () => {
  it('joins the room and the user', () => {
    expect(membershipIdOf('r-1', 'u-1')).toBe('r-1:u-1');
  });

  it('cannot be forged by ids that contain the separator', () => {
    expect(membershipIdOf('a:b', 'c')).not.toBe(membershipIdOf('a', 'b:c'));
  });
});
