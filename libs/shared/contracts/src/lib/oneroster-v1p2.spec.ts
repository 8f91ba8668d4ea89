import { ROLE_TYPES } from './oneroster';
import {
  V1P2_ENROLLMENT_ROLES,
  V1P2_RESOURCE_ROLES,
  isV1p2ExtensionValue,
} from './oneroster-v1p2';

describe('OneRoster 1.2 vocabularies', () => {
  it('accepts ext: extensions of the schemas\u2019 pattern only', () => {
    expect(isV1p2ExtensionValue('ext:trust')).toBe(true);
    expect(isV1p2ExtensionValue('ext:a.b-c_9')).toBe(true);
    expect(isV1p2ExtensionValue('ext:')).toBe(false);
    expect(isV1p2ExtensionValue('ext:two words')).toBe(false);
    expect(isV1p2ExtensionValue('trust')).toBe(false);
  });

  it('narrows enrolment roles to a subset of the 1.1 roles, and keeps the 1.1 roles for resources', () => {
    for (const r of V1P2_ENROLLMENT_ROLES) expect(ROLE_TYPES).toContain(r);
    expect([...V1P2_RESOURCE_ROLES].sort()).toEqual([...ROLE_TYPES].sort());
  });
});
