import {
  V1P2_CLASSES,
  v1p1SourceField,
  v1p2ClassDef,
  v1p2ClassesOf,
  v1p2FieldNames,
  v1p2ServedFields,
} from './derive-v1p2';
import { V1P2_SERVICES } from './model';

describe('OneRoster 1.2 catalogue projections', () => {
  it('splits the classes among the three services', () => {
    const byService = V1P2_SERVICES.map((s) =>
      v1p2ClassesOf(s).map((c) => c.key),
    );
    expect(byService.flat().sort()).toEqual(
      V1P2_CLASSES.map((c) => c.key).sort(),
    );
    expect(v1p2ClassesOf('resources').map((c) => c.key)).toEqual(['resource']);
  });

  it('names every published 1.2 field, and serves only those with a 1.1 source', () => {
    const user = v1p2ClassDef('user');
    expect(v1p2FieldNames(user)).toContain('pronouns');
    expect(v1p2FieldNames(user)).not.toContain('password');
    const served = v1p2ServedFields(user).map((f) => f.name);
    expect(served).toContain('roles');
    // Stored for 1.2 only (the 1.1 catalogue's `v1p2` fields).
    expect(served).toContain('pronouns');
    expect(served).not.toContain('userProfiles');
    expect(served).not.toContain('password');
    expect(v1p2ServedFields(v1p2ClassDef('scoreScale'))).toEqual([]);
  });

  it('finds the 1.1 field, and so the column, a 1.2 field is read from', () => {
    const enrollment = v1p2ClassDef('enrollment');
    const primary = enrollment.fields.find((f) => f.name === 'primary');
    expect(primary && v1p1SourceField(enrollment, primary)?.store).toEqual({
      kind: 'column',
      property: 'primary',
      column: 'is_primary',
    });
    const user = v1p2ClassDef('user');
    const roles = user.fields.find((f) => f.name === 'roles');
    expect(roles && v1p1SourceField(user, roles)).toBeUndefined();
  });
});
