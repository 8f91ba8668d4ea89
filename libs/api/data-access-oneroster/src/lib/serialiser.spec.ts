import { CLASS_RESOURCE, USER_RESOURCE } from './resources';
import { OneRosterSerialiser } from './serialiser';

describe('OneRosterSerialiser', () => {
  const serialiser = new OneRosterSerialiser('https://api.example.org/v1p1');

  it('writes booleans as JSON or as strings, as the wire option asks', () => {
    const fields = USER_RESOURCE.fields.filter((f) => f.name === 'enabledUser');
    for (const raw of [1, '1', true])
      expect(serialiser.object(fields, { enabled_user: raw })).toEqual({
        enabledUser: true,
      });
    expect(serialiser.object(fields, { enabled_user: 0 }, 'string')).toEqual({
      enabledUser: 'false',
    });
    expect(serialiser.object(fields, { enabled_user: 1 }, 'string')).toEqual({
      enabledUser: 'true',
    });
  });

  it('reads stored text and decoded values alike, in the order of the definition', () => {
    const fields = CLASS_RESOURCE.fields.filter((f) =>
      ['sourcedId', 'dateLastModified', 'grades', 'course'].includes(f.name),
    );
    const asText = serialiser.object(fields, {
      sourced_id: 'c1',
      date_last_modified: '2026-09-01 08:00:00.000',
      grades: '["09","10"]',
      course_sourced_id: 'course 1',
    });
    const decoded = serialiser.object(fields, {
      sourced_id: 'c1',
      date_last_modified: new Date('2026-09-01T08:00:00Z'),
      grades: ['09', '10'],
      course_sourced_id: 'course 1',
    });
    expect(asText).toEqual(decoded);
    expect(Object.keys(asText)).toEqual(fields.map((f) => f.name));
    expect(asText['course']).toEqual({
      href: 'https://api.example.org/v1p1/courses/course%201',
      sourcedId: 'course 1',
      type: 'course',
    });
  });

  it('leaves out null columns and empty references, and writes required fields empty', () => {
    const fields = CLASS_RESOURCE.fields;
    const out = serialiser.object(fields, {
      school_id: 's',
      sourced_id: 'c1',
      status: 'active',
      date_last_modified: '2026-09-01 08:00:00.000',
      title: null,
      course_sourced_id: '',
    });
    expect(out).not.toHaveProperty('course');
    for (const f of fields)
      if (f.alwaysEmit)
        expect(out[f.name]).toEqual(f.kind === 'refs' ? [] : '');
      else if (!['sourcedId', 'status', 'dateLastModified'].includes(f.name))
        expect(out).not.toHaveProperty(f.name);
  });
});
