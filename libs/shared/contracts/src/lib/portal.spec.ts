import { PASSWORD_MIN_LENGTH, passwordProblem } from './portal';

describe('passwordProblem (the minimum password policy)', () => {
  it('takes a long enough password that is neither the email nor the current one', () => {
    expect(passwordProblem('a'.repeat(PASSWORD_MIN_LENGTH))).toBeNull();
    expect(
      passwordProblem('twelve chars', {
        email: 'a@b.example',
        current: 'old password',
      }),
    ).toBeNull();
  });

  it('counts characters, not UTF-16 units, and refuses what is too short or too long', () => {
    // 11 emoji are 22 UTF-16 units but 11 characters.
    expect(passwordProblem('🔑'.repeat(11))).toMatch(/at least 12/);
    expect(passwordProblem('x'.repeat(1025))).toMatch(/at most 1024/);
  });

  it('refuses the email address (any case, spaces around) and the current password', () => {
    expect(
      passwordProblem(' Someone@School.example.org ', {
        email: 'someone@school.example.org',
      }),
    ).toMatch(/email/);
    expect(
      passwordProblem('the same old one', { current: 'the same old one' }),
    ).toMatch(/differ/);
  });
});
