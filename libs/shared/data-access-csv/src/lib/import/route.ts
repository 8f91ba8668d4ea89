import {
  AnyCsvFile,
  CsvFile,
  CSV_FILES,
  ParsedRow,
  type V1p2CsvFile,
} from '@oneroster/util-oneroster-csv';
import { V1P2_TABLE_MAPS } from '../tables';
import { schoolIdForOrg } from './options';
import { ReferenceStep } from './references';
import { EXTERNAL, KIND, kindOf, Owners, SCHOOL } from './run-index';

/*
 * Step 4, routing to schools:
 * - with a school to import into, every record goes there (`strictSchool`: the set must be
 *   about that school, else `wrong_school`);
 * - otherwise every org of type school is a platform school (found by org, else created
 *   with `schoolIdForOrg`); none at all is `no_school`;
 * - a record belongs to the schools that place it (an org: its nearest school; a class:
 *   its school; a course: its org's school; a user: its orgs' schools; a line item: its
 *   class's; demographics: its user's) plus, through the pushes, the schools of every
 *   record that refers to it; a record nothing places goes to every school of the set;
 * - enrollments, results and class/course resources go where the record they name goes;
 * - owner sets are interned and memoised by key, so each is computed once.
 */
export abstract class RouteStep extends ReferenceStep {
  /** Dense numbers of keys (records of the set, then external ones) and pushes by target. */
  protected groupPushes(): void {
    let total = 0;
    for (const file of CSV_FILES) {
      this.denseStart.push(total);
      total += this.fileSizes.get(file) ?? 0;
    }
    this.denseStart.push(total); // SCHOOL: no dense numbers
    this.denseStart.push(total); // EXTERNAL
    total += this.externalByNumber.length;
    const start = new Int32Array(total + 1);
    const n = this.pushTargets.length;
    for (let i = 0; i < n; i++) start[this.dense(this.pushTargets.at(i)) + 1]++;
    for (let i = 0; i < total; i++) start[i + 1] += start[i];
    const fill = start.slice(0, total);
    const list = new Int32Array(n);
    for (let i = 0; i < n; i++)
      list[fill[this.dense(this.pushTargets.at(i))]++] = this.pushSources.at(i);
    this.pushStart = start;
    this.pushList = list;
    this.memo = new Int32Array(total);
    this.resolving = new Uint8Array(total);
  }

  protected async resolveSchools(): Promise<void> {
    const rows = (await this.q(
      'SELECT id, name, org_sourced_id AS org FROM schools',
    )) as {
      id: string;
      name: string;
      org: string;
    }[];
    for (const r of rows)
      if (!this.platformByOrg.has(r.org)) this.platformByOrg.set(r.org, r);
    if (this.options.schoolId) {
      const school = rows.find((r) => r.id === this.options.schoolId);
      if (!school) {
        this.issues.error(
          '(set)',
          'unknown_school',
          `no platform school ${this.options.schoolId}`,
        );
        return;
      }
      this.targets = [school.id];
      if (this.options.strictSchool) this.checkSchoolData(school);
      this.report.schools.push({
        schoolId: school.id,
        orgSourcedId: school.org,
        name: school.name,
        created: false,
      });
      return;
    }
    const schoolOrgs = new Set<string>();
    for (const [id, o] of this.orgs)
      if (o.type === 'school') schoolOrgs.add(id);
    // Without orgs.csv (a delta), the schools are those the rows name.
    const named = (n: number) => {
      const org = this.orgByNumber[n];
      if (
        org !== undefined &&
        this.platformByOrg.has(org) &&
        !this.orgs.has(org)
      )
        schoolOrgs.add(org);
    };
    for (let i = 0; i < this.classSchool.length; i++)
      named(this.classSchool.at(i));
    for (let i = 0; i < this.userOrgs.length; i++) named(this.userOrgs.at(i));
    const users = kindOf('users');
    for (let i = 0; i < this.pushTargets.length; i++) {
      const src = this.pushSources.at(i);
      if (
        Math.floor(this.pushTargets.at(i) / KIND) === users &&
        Math.floor(src / KIND) === SCHOOL
      ) {
        const org = this.orgByNumber[src - SCHOOL * KIND];
        if (this.platformByOrg.has(org)) schoolOrgs.add(org);
      }
    }
    for (const org of [...schoolOrgs].sort()) {
      const existing = this.platformByOrg.get(org);
      const id = existing?.id ?? schoolIdForOrg(org);
      this.schoolOrgToId.set(org, id);
      this.report.schools.push({
        schoolId: id,
        orgSourcedId: org,
        name: existing?.name ?? this.orgName(org),
        created: !existing,
      });
    }
    this.targets = [...new Set(this.schoolOrgToId.values())];
    if (this.targets.length === 0)
      this.issues.error(
        'orgs.csv',
        'no_school',
        'the set names no org of type school; add orgs.csv or import with a school',
      );
  }

  /** `strictSchool`: refuses a set about another school than the one imported into. */
  protected checkSchoolData(school: { name: string; org: string }): void {
    const others = [...this.orgs]
      .filter(([id, o]) => o.type === 'school' && id !== school.org)
      .map(([id]) => id);
    if (this.present.has('orgs') && !this.orgs.has(school.org))
      this.issues.error(
        'orgs.csv',
        'wrong_school',
        `the set is not about ${school.name}: its orgs.csv has no org ${school.org}` +
          (others.length
            ? ` but holds the school(s) ${others.slice(0, 5).join(', ')}`
            : ''),
        { column: 'sourcedId', value: others[0] },
      );
    for (const [org, site] of this.schoolRefs)
      if (org !== school.org)
        this.issues.error(
          `${site.file}.csv`,
          'wrong_school',
          `this import is for ${school.name} (org ${school.org}) only; ${site.count} row(s) of ${site.file}.csv belong to another school`,
          { line: site.line, column: site.column, value: org },
        );
  }

  /** The parents of an org, nearest first, each once (a cycle in the file ends the walk). */
  private *ancestors(org: string): Generator<string> {
    const seen = new Set<string>();
    for (
      let o: string | null | undefined = this.orgs.get(org)?.parent;
      o && !seen.has(o);
      o = this.orgs.get(o)?.parent
    ) {
      seen.add(o);
      yield o;
    }
  }

  /** Schools an org places records into: its nearest school ancestor-or-self, else the schools below it. */
  protected orgSchools(org: string): Owners {
    const direct = this.schoolOrgToId.get(org);
    if (direct) return new Set([direct]);
    for (const o of this.ancestors(org)) {
      const s = this.schoolOrgToId.get(o);
      if (s) return new Set([s]);
    }
    const below = new Set<string>();
    for (const [schoolOrg, schoolId] of this.schoolOrgToId)
      for (const o of this.ancestors(schoolOrg))
        if (o === org) below.add(schoolId);
    if (below.size) return below;
    const key = this.knownKey('orgs', org);
    return new Set(key < 0 ? [] : (this.dbOwners.get(key) ?? []));
  }

  /** An owner set shared by every record that has it (never changed once interned). */
  protected intern(set: Owners): number {
    const name = [...set].sort().join(',');
    let n = this.ownerSetNumber.get(name);
    if (n === undefined) {
      n = this.ownerSets.length;
      this.ownerSets.push(set);
      this.ownerSetNumber.set(name, n);
    }
    return n;
  }

  protected placement(key: number): Owners {
    const kind = Math.floor(key / KIND);
    const n = key - kind * KIND;
    if (kind === SCHOOL) return this.orgSchools(this.orgByNumber[n]);
    const out = new Set<string>();
    const add = (set: Iterable<string>) => {
      for (const s of set) out.add(s);
    };
    if (kind === EXTERNAL) {
      add(this.dbOwners.get(key) ?? []);
      return out;
    }
    const file = CSV_FILES[kind];
    if (this.manifest.modes[file] === 'delta')
      add(this.dbOwners.get(key) ?? []);
    switch (file) {
      case 'orgs': {
        const id = this.orgIds[n];
        const o = this.orgs.get(id) ?? { type: '', parent: null };
        if (o.type === 'school' || this.orgHasSchoolAncestor(id))
          add(this.orgSchools(id));
        break;
      }
      case 'classes':
        add(this.orgSchools(this.orgByNumber[this.classSchool.get(n)] ?? ''));
        break;
      case 'courses': {
        const org = this.orgByNumber[this.courseOrg.get(n)] ?? '';
        if (this.schoolOrgToId.has(org) || this.orgHasSchoolAncestor(org))
          add(this.orgSchools(org));
        break;
      }
      case 'users':
        for (
          let i = this.userOrgStart.get(n), end = this.userOrgStart.get(n + 1);
          i >= 0 && i < end;
          i++
        )
          add(this.orgSchools(this.orgByNumber[this.userOrgs.at(i)]));
        break;
      case 'lineItems':
        add(this.owners(this.lineItemClass.get(n)));
        break;
      case 'demographics':
        add(this.owners(this.demographicUser.get(n)));
        break;
      default:
        break;
    }
    return out;
  }

  protected orgHasSchoolAncestor(org: string): boolean {
    for (const o of this.ancestors(org))
      if (this.schoolOrgToId.has(o)) return true;
    return false;
  }

  /** The schools a record goes to: where it belongs, plus every school of a record referring to it. */
  owners(key: number): Owners {
    if (this.options.schoolId) return this.importSchool();
    if (key < 0) return new Set();
    const kind = Math.floor(key / KIND);
    if (kind === SCHOOL) {
      let s = this.schoolMemo.get(key);
      if (!s) this.schoolMemo.set(key, (s = this.placement(key)));
      return s;
    }
    const d = this.dense(key);
    // A record first named after pass 1 has no pushes: its placement is all there is.
    if (d >= this.memo.length) return this.placement(key);
    if (this.memo[d] > 0) return this.ownerSets[this.memo[d] - 1];
    if (this.resolving[d]) return new Set();
    this.resolving[d] = 1;
    const out = this.placement(key);
    for (let i = this.pushStart[d]; i < this.pushStart[d + 1]; i++)
      this.owners(this.pushList[i]).forEach((s) => out.add(s));
    if (out.size === 0 && kind !== EXTERNAL) {
      // Nothing places it (an unused session, category or resource; a district course no
      // class uses): every school of the set gets it.
      if (CSV_FILES[kind] === 'courses')
        this.orgSchools(
          this.orgByNumber[this.courseOrg.get(key - kind * KIND)] ?? '',
        ).forEach((s) => out.add(s));
      if (out.size === 0) this.targets.forEach((s) => out.add(s));
    }
    this.resolving[d] = 0;
    this.memo[d] = this.intern(out) + 1;
    return this.ownerSets[this.memo[d] - 1];
  }

  /** With `schoolId`, every record goes to that school: one set shared by all. */
  protected importSchool(): Owners {
    return (this.importSchoolSet ??= new Set(this.targets));
  }
  protected importSchoolSet: Owners | undefined;

  protected rowOwners(file: AnyCsvFile, row: ParsedRow): Owners {
    if (this.options.schoolId) return this.importSchool();
    const v = row.values;
    // A record of a 1.2 file stored as 1.2 goes where the record placing it goes.
    const extra = V1P2_TABLE_MAPS[file as V1p2CsvFile];
    if (extra)
      return this.owners(
        this.knownKey(
          extra.placedBy.target,
          v[extra.placedBy.column] as string,
        ),
      );
    switch (file) {
      case 'enrollments':
        return this.owners(this.schoolKey(v['schoolSourcedId'] as string));
      case 'results':
        return this.owners(
          this.knownKey('lineItems', v['lineItemSourcedId'] as string),
        );
      case 'classResources':
        return this.owners(
          this.knownKey('classes', v['classSourcedId'] as string),
        );
      case 'courseResources':
        return this.owners(
          this.knownKey('courses', v['courseSourcedId'] as string),
        );
      default:
        return this.owners(this.knownKey(file as CsvFile, row.sourcedId));
    }
  }
}
