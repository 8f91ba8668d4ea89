// Baseline for the API read benchmark: plain node:http + mysql2, running the same SQL as the
// API for three requests and producing the same JSON (no framework, no token check, no
// query-language parsing). Usage: node baseline-server.mjs <mysql-url> <port> <public-base-url>
import { createServer } from 'node:http';
import mysql from 'mysql2/promise';

const [url, port, publicBase] = process.argv.slice(2);
const pool = mysql.createPool({
  uri: url,
  connectionLimit: 10,
  timezone: 'Z',
  dateStrings: ['DATE'],
  charset: 'utf8mb4_bin',
});
const BASE = `${publicBase}/ims/oneroster/v1p1`;

const USER_COLS = [
  'school_id',
  'sourced_id',
  'status',
  'date_last_modified',
  'metadata',
  'username',
  'user_ids',
  'enabled_user',
  'given_name',
  'family_name',
  'middle_name',
  'role',
  'identifier',
  'email',
  'sms',
  'phone',
  'grades',
];
const ENR_COLS = [
  'school_id',
  'sourced_id',
  'status',
  'date_last_modified',
  'metadata',
  'user_sourced_id',
  'class_sourced_id',
  'school_sourced_id',
  'role',
  'is_primary',
  'begin_date',
  'end_date',
];
const sel = (cols) => cols.map((c) => `t.\`${c}\``).join(', ');
const ref = (collection, type, id) => ({
  href: `${BASE}/${collection}/${encodeURIComponent(id)}`,
  sourcedId: id,
  type,
});
const json = (v) => (v === null || v === '' ? undefined : JSON.parse(v));

async function lists(table, owner, value, order, schoolId, ids) {
  const out = new Map();
  if (!ids.length) return out;
  const [rows] = await pool.query(
    `SELECT \`${owner}\` AS o, \`${value}\` AS v FROM \`${table}\` WHERE \`school_id\` = ? AND \`${owner}\` IN (${ids.map(() => '?').join(', ')}) ORDER BY \`${owner}\`, \`${order}\`, \`${value}\``,
    [schoolId, ...ids],
  );
  for (const r of rows) (out.get(r.o) ?? out.set(r.o, []).get(r.o)).push(r.v);
  return out;
}

async function users(schools, extraWhere, extraParams, limit, offset) {
  const where = `t.\`school_id\` IN (${schools.map(() => '?').join(', ')})${extraWhere}`;
  const params = [...schools, ...extraParams];
  const [[count], [rows]] = await Promise.all([
    pool.query(`SELECT COUNT(*) AS n FROM \`users\` t WHERE ${where}`, params),
    pool.query(
      `SELECT ${sel(USER_COLS)} FROM \`users\` t WHERE ${where} ORDER BY t.\`sourced_id\` ASC, t.\`school_id\` ASC LIMIT ? OFFSET ?`,
      [...params, limit, offset],
    ),
  ]);
  const school = schools[0];
  const ids = rows.map((r) => r.sourced_id);
  const agents = await lists(
    'user_agents',
    'user_sourced_id',
    'agent_sourced_id',
    'position',
    school,
    ids,
  );
  const orgs = await lists(
    'user_orgs',
    'user_sourced_id',
    'org_sourced_id',
    'position',
    school,
    ids,
  );
  const records = rows.map((r) => {
    const o = {
      sourcedId: r.sourced_id,
      status: r.status,
      dateLastModified: r.date_last_modified.toISOString(),
      metadata: json(r.metadata),
      username: r.username,
      userIds: json(r.user_ids),
      enabledUser: r.enabled_user === 1,
      givenName: r.given_name,
      familyName: r.family_name,
      middleName: r.middle_name ?? undefined,
      role: r.role,
      identifier: r.identifier ?? undefined,
      email: r.email ?? undefined,
      sms: r.sms ?? undefined,
      phone: r.phone ?? undefined,
      agents: agents.get(r.sourced_id)?.map((id) => ref('users', 'user', id)),
      orgs: (orgs.get(r.sourced_id) ?? []).map((id) => ref('orgs', 'org', id)),
      grades: json(r.grades),
    };
    return o;
  });
  return { total: count[0].n, body: JSON.stringify({ users: records }) };
}

const server = createServer(async (req, res) => {
  try {
    const u = new URL(req.url, 'http://x');
    const schools = (req.headers['x-schools'] ?? '').split(',').filter(Boolean);
    const limit = Number(u.searchParams.get('limit') ?? 100);
    const offset = Number(u.searchParams.get('offset') ?? 0);
    let out;
    const m = /^\/ims\/oneroster\/v1p1\/classes\/([^/]+)\/students$/.exec(
      u.pathname,
    );
    if (u.pathname === '/ims/oneroster/v1p1/users') {
      out = await users(
        schools,
        ' AND t.`role` = ?',
        ['student'],
        limit,
        offset,
      );
    } else if (m) {
      const classId = decodeURIComponent(m[1]);
      const [found] = await pool.query(
        `SELECT 1 AS one FROM \`classes\` t WHERE t.\`school_id\` IN (${schools.map(() => '?').join(', ')}) AND t.\`sourced_id\` = ? ORDER BY t.\`school_id\` LIMIT 1`,
        [...schools, classId],
      );
      if (!found.length) {
        res.writeHead(404).end();
        return;
      }
      out = await users(
        schools,
        " AND EXISTS (SELECT 1 FROM `enrollments` x WHERE x.`school_id` = t.`school_id` AND x.`user_sourced_id` = t.`sourced_id` AND x.`class_sourced_id` = ? AND x.`role` = ? AND x.`status` = 'active')",
        [classId, 'student'],
        limit,
        offset,
      );
    } else {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'x-total-count': String(out.total),
    });
    res.end(out.body);
  } catch (err) {
    res.writeHead(500).end(String(err));
  }
});
server.listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () =>
  server.close(() => pool.end().then(() => process.exit(0))),
);
export { ENR_COLS };
