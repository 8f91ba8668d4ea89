import { ESLint } from 'eslint';
import { join } from 'node:path';

/*
 * The module boundaries are real: these lint a deliberately violating file placed (in
 * memory only) inside a project, with the workspace's own ESLint configuration, and expect
 * @nx/enforce-module-boundaries to reject it.
 */
const root = join(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result.messages
    .filter((m) => m.ruleId === '@nx/enforce-module-boundaries')
    .map((m) => m.message);
}

describe('module boundaries', () => {
  it('forbids browser code from importing NestJS', async () => {
    const errors = await boundaryErrors(
      'libs/admin/feature-shell/src/lib/violation.ts',
      "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
    );
    expect(errors.join('\n')).toMatch(/@nestjs\/common/);
  });

  it('forbids browser code from importing TypeORM and class-validator', async () => {
    const errors = await boundaryErrors(
      'libs/admin/feature-shell/src/lib/violation.ts',
      "import { Entity } from 'typeorm';\nimport { IsString } from 'class-validator';\nexport const x = [Entity, IsString];\n",
    );
    expect(errors).toHaveLength(2);
  });

  it('forbids browser code from importing a Node library (entities)', async () => {
    const errors = await boundaryErrors(
      'libs/admin/feature-shell/src/lib/violation.ts',
      "import { UserEntity } from '@oneroster/entities';\nexport const x = UserEntity;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('forbids the framework-free contracts from importing a framework', async () => {
    const errors = await boundaryErrors(
      'libs/shared/contracts/src/lib/violation.ts',
      "import { Column } from 'typeorm';\nexport const x = Column;\n",
    );
    expect(errors.join('\n')).toMatch(/typeorm/);
  });

  it('forbids the catalogue (framework-free, used by every projection) from importing a library of a projection', async () => {
    const errors = await boundaryErrors(
      'libs/shared/oneroster-catalogue/src/lib/violation.ts',
      "import { UserEntity } from '@oneroster/entities';\nexport const x = UserEntity;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('forbids an API feature from importing another API feature', async () => {
    const errors = await boundaryErrors(
      'libs/api/feature-gradebook/src/lib/violation.ts',
      "import { RosteringModule } from '@oneroster/feature-rostering';\nexport const x = RosteringModule;\n",
    );
    expect(errors.join('\n')).toMatch(/type:feature/);
  });

  it('lets an API feature import the shared OneRoster Swagger vocabulary', async () => {
    const errors = await boundaryErrors(
      'libs/api/feature-gradebook/src/lib/violation.ts',
      "import { StatusInfoDto } from '@oneroster/util-oneroster-openapi';\nexport const x = StatusInfoDto;\n",
    );
    expect(errors).toEqual([]);
  });

  it('forbids Node code from importing Angular', async () => {
    const errors = await boundaryErrors(
      'libs/shared/entities/src/lib/violation.ts',
      "import { signal } from '@angular/core';\nexport const x = signal(1);\n",
    );
    expect(errors.join('\n')).toMatch(/@angular\/core/);
  });

  it('forbids a shared library from depending on an app-scoped one', async () => {
    const errors = await boundaryErrors(
      'libs/shared/contracts/src/lib/violation.ts',
      "import { shellRoutes } from '@oneroster/feature-shell';\nexport const x = shellRoutes;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('accepts an allowed import', async () => {
    const errors = await boundaryErrors(
      'libs/admin/feature-shell/src/lib/allowed.ts',
      "import { ONEROSTER_SCOPES } from '@oneroster/contracts';\nexport const x = ONEROSTER_SCOPES;\n",
    );
    expect(errors).toEqual([]);
  });
});
