import nx from '@nx/eslint-plugin';

/**
 * Module boundaries. Every project carries three tags:
 *   scope:*    which app it belongs to (shared, api, auth, admin)
 *   type:*     what kind of library it is (app, feature, data-access, ui, util, entities, contracts)
 *   platform:* where it runs (node, browser, neutral = framework-free TypeScript)
 * A project may only depend on what all three of its tags allow.
 */
const serverOnlyPackages = [
  '@nestjs/*',
  'typeorm',
  'class-validator',
  'class-transformer',
  'mysql2',
  'better-sqlite3',
  'express',
  'passport',
  'passport-jwt',
  'oidc-provider',
];
const browserOnlyPackages = ['@angular/*', 'rxjs'];

export const depConstraints = [
  // scope
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  {
    sourceTag: 'scope:api',
    onlyDependOnLibsWithTags: ['scope:shared', 'scope:api'],
  },
  {
    sourceTag: 'scope:auth',
    onlyDependOnLibsWithTags: ['scope:shared', 'scope:auth'],
  },
  {
    sourceTag: 'scope:admin',
    onlyDependOnLibsWithTags: ['scope:shared', 'scope:admin'],
  },
  // type
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: [
      'type:feature',
      'type:data-access',
      'type:ui',
      'type:util',
      'type:entities',
      'type:contracts',
    ],
  },
  {
    sourceTag: 'type:feature',
    onlyDependOnLibsWithTags: [
      'type:feature',
      'type:data-access',
      'type:ui',
      'type:util',
      'type:entities',
      'type:contracts',
    ],
  },
  {
    sourceTag: 'type:data-access',
    onlyDependOnLibsWithTags: [
      'type:data-access',
      'type:util',
      'type:entities',
      'type:contracts',
    ],
  },
  {
    sourceTag: 'type:ui',
    onlyDependOnLibsWithTags: ['type:ui', 'type:util', 'type:contracts'],
  },
  {
    sourceTag: 'type:util',
    onlyDependOnLibsWithTags: ['type:util', 'type:entities', 'type:contracts'],
  },
  // An API feature shares code with another through a lower library, never directly.
  {
    allSourceTags: ['scope:api', 'type:feature'],
    notDependOnLibsWithTags: ['type:feature'],
  },
  { sourceTag: 'type:entities', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
  // platform: browser code never pulls in server frameworks, and the reverse
  {
    sourceTag: 'platform:browser',
    onlyDependOnLibsWithTags: ['platform:browser', 'platform:neutral'],
    bannedExternalImports: serverOnlyPackages,
  },
  {
    sourceTag: 'platform:node',
    onlyDependOnLibsWithTags: ['platform:node', 'platform:neutral'],
    bannedExternalImports: ['@angular/*'],
  },
  {
    sourceTag: 'platform:neutral',
    onlyDependOnLibsWithTags: ['platform:neutral'],
    bannedExternalImports: [...serverOnlyPackages, ...browserOnlyPackages],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/data', '**/coverage', '**/.angular'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
          depConstraints,
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
];
