import type { DataSource } from 'typeorm';
import {
  dateText,
  decodeBoolean,
  decodeInstant,
  decodeJson,
  decodeList,
  decodeNumber,
  decodeStrings,
  decodeText,
  encodeBoolean,
  encodeDate,
  encodeInstant,
  encodeJson,
  instantDay,
  instantOf,
  instantText,
  sqlDialect,
} from './codec';
import { openDatabase } from './data-source';
import { testEngines } from './test-database';

// The column types the entities map to on each engine (see libs/shared/entities columns).
const DDL = {
  sqlite: `CREATE TABLE codec_probe (id integer PRIMARY KEY, at datetime(3), day date,
           flag boolean, list text)`,
  mysql: `CREATE TABLE codec_probe (id int PRIMARY KEY, at datetime(3), day date,
          flag tinyint, list text)`,
};

describe.each(testEngines('codec'))('database codec on $name', (engine) => {
  let ds: DataSource;

  beforeAll(async () => {
    ds = await openDatabase(await engine.config());
    await ds.query(DDL[sqlDialect(ds)]);
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  const instant = new Date('2026-09-01T08:05:03.042Z');
  const write = (id: number, values: unknown[]) =>
    ds.query(
      'INSERT INTO codec_probe (id, at, day, flag, list) VALUES (?, ?, ?, ?, ?)',
      [id, ...values],
    );
  const read = async (id: number, select = 'at, day, flag, list') =>
    (
      (await ds.query(`SELECT ${select} FROM codec_probe WHERE id = ?`, [
        id,
      ])) as Record<string, unknown>[]
    )[0];

  it('names the engine family', () => {
    expect(sqlDialect(ds)).toBe(engine.name);
  });

  it('writes values that read back raw as the driver gives them and decode to what was written', async () => {
    await write(1, [
      encodeInstant(instant),
      encodeDate(instant),
      encodeBoolean(true),
      encodeJson(['a', 'b "c"']),
    ]);
    await write(2, [
      encodeInstant(new Date('2026-01-31T23:59:59.000Z')),
      '2026-02-28',
      encodeBoolean(false),
      encodeJson([]),
    ]);
    const one = await read(1);
    if (engine.name === 'mysql') expect(one['at']).toBeInstanceOf(Date);
    else expect(one['at']).toBe('2026-09-01 08:05:03.042');
    expect(one['day']).toBe('2026-09-01');
    expect(Number(one['flag'])).toBe(1);
    expect(typeof one['list']).toBe('string');

    expect(decodeInstant(one['at']).toISOString()).toBe(
      '2026-09-01T08:05:03.042Z',
    );
    expect(instantText(one['at'])).toBe('2026-09-01T08:05:03.042Z');
    expect(dateText(one['day'])).toBe('2026-09-01');
    expect(decodeBoolean(one['flag'])).toBe(true);
    expect(decodeStrings(one['list'])).toEqual(['a', 'b "c"']);
    expect(decodeJson(one['list'])).toEqual(['a', 'b "c"']);

    const two = await read(2);
    expect(instantText(two['at'])).toBe('2026-01-31T23:59:59.000Z');
    expect(dateText(two['day'])).toBe('2026-02-28');
    expect(decodeBoolean(two['flag'])).toBe(false);
    expect(decodeStrings(two['list'])).toEqual([]);
  });

  it('decodes an instant read as text (as pages are read on MySQL) like one read as a Date', async () => {
    const text = (
      await read(
        1,
        engine.name === 'mysql' ? 'CAST(at AS CHAR) AS at' : 'at AS at',
      )
    )['at'];
    expect(text).toBe('2026-09-01 08:05:03.042');
    expect(instantText(text)).toBe(instantText((await read(1))['at']));
    expect(decodeInstant(text).getTime()).toBe(instant.getTime());
  });

  it('compares stored instants, dates and booleans with encoded parameters', async () => {
    const ids = async (where: string, params: unknown[]) =>
      (
        (await ds.query(
          `SELECT id FROM codec_probe WHERE ${where} ORDER BY id`,
          params,
        )) as { id: number }[]
      ).map((r) => Number(r.id));
    expect(await ids('at = ?', [encodeInstant(instant)])).toEqual([1]);
    expect(
      await ids('at > ?', [encodeInstant(new Date('2026-09-01T08:05:03Z'))]),
    ).toEqual([1]);
    expect(await ids('day < ?', [encodeDate(instant)])).toEqual([2]);
    expect(await ids('flag = ?', [encodeBoolean(false)])).toEqual([2]);
  });

  it('reads NULLs as NULL for every column kind', async () => {
    await write(3, [null, null, null, null]);
    expect(await read(3)).toEqual({
      at: null,
      day: null,
      flag: null,
      list: null,
    });
    expect(decodeStrings(null)).toEqual([]);
  });
});

describe('database codec, values of every driver', () => {
  it('takes zoned and ISO text as it is, and zone-less text as UTC', () => {
    expect(decodeInstant('2026-09-01 08:00:00.000').toISOString()).toBe(
      '2026-09-01T08:00:00.000Z',
    );
    expect(decodeInstant('2026-09-01T10:00:00+02:00').toISOString()).toBe(
      '2026-09-01T08:00:00.000Z',
    );
    expect(instantText('2026-09-01 08:00:00')).toBe('2026-09-01T08:00:00.000Z');
    expect(instantText('2026-09-01T08:00:00.000Z')).toBe(
      '2026-09-01T08:00:00.000Z',
    );
  });

  it('reads a Date as its UTC day', () => {
    expect(dateText(new Date('2026-09-01T23:30:00Z'))).toBe('2026-09-01');
    expect(encodeDate(new Date('2026-09-01T00:00:00Z'))).toBe('2026-09-01');
  });

  it('reads every stored form of a boolean', () => {
    expect([1, '1', true, Buffer.from([1])].map(decodeBoolean)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(
      [0, '0', false, Buffer.from([0]), Buffer.alloc(0), null].map(
        decodeBoolean,
      ),
    ).toEqual([false, false, false, false, false, false]);
  });

  it('reads a list of strings leniently: not JSON, not a list or other elements drop out', () => {
    expect(decodeStrings('not json')).toEqual([]);
    expect(decodeStrings('{"a":1}')).toEqual([]);
    expect(decodeStrings('["a",1,null,"b"]')).toEqual(['a', 'b']);
    expect(decodeStrings(['x', 2])).toEqual(['x']);
    expect(decodeStrings('')).toEqual([]);
  });

  it('reads ISO text from outside: a date-time as written, a calendar date as its UTC midnight', () => {
    expect(instantOf('2026-09-01').toISOString()).toBe(
      '2026-09-01T00:00:00.000Z',
    );
    expect(instantOf('2026-09-01T10:00:00+02:00').toISOString()).toBe(
      '2026-09-01T08:00:00.000Z',
    );
    expect(encodeInstant(instantOf('2026-09-01T08:05:03.042Z'))).toBe(
      '2026-09-01 08:05:03.042',
    );
  });

  it('reads the UTC day of an instant, stored as text or handed over as a Date', () => {
    expect(instantDay('2026-09-01 23:30:00.000')).toBe('2026-09-01');
    expect(instantDay(new Date('2026-09-01T23:30:00Z'))).toBe('2026-09-01');
    expect(instantDay('2026-09-02T00:30:00+01:00')).toBe('2026-09-01');
  });

  it('reads text and numeric columns', () => {
    expect(decodeText('Room 1')).toBe('Room 1');
    expect(decodeText(new Date('2026-09-01T00:00:00Z'))).toBe('2026-09-01');
    expect(decodeText(12)).toBe('12');
    expect(decodeNumber('12.50')).toBe(12.5);
    expect(decodeNumber(3)).toBe(3);
  });

  it('reads a list column strictly: a list, null for another JSON value, an error for text that is not JSON', () => {
    expect(decodeList('["a",{"type":"x","identifier":"y"}]')).toEqual([
      'a',
      { type: 'x', identifier: 'y' },
    ]);
    expect(decodeList(['a'])).toEqual(['a']);
    expect(decodeList('{"a":1}')).toBeNull();
    expect(() => decodeList('not json')).toThrow(SyntaxError);
  });
});
