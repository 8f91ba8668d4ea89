import nx from '@nx/eslint-plugin';
import baseConfig from '../../eslint.config.mjs';

/**
 * Lint rules of the admin portal's Angular projects: Nx's Angular and template rules, the
 * workspace rules, and the component and directive selector prefix (`app` for the app,
 * `lib` for the libraries, whose eslint.config.mjs re-exports the default).
 */
export function angularConfig(prefix) {
  return [
    ...nx.configs['flat/angular'],
    ...nx.configs['flat/angular-template'],
    ...baseConfig,
    {
      files: ['**/*.ts'],
      rules: {
        '@angular-eslint/directive-selector': [
          'error',
          { type: 'attribute', prefix, style: 'camelCase' },
        ],
        '@angular-eslint/component-selector': [
          'error',
          { type: 'element', prefix, style: 'kebab-case' },
        ],
      },
    },
  ];
}

export default [
  ...angularConfig('lib'),
  {
    // Tests state what they expect to find; a missing element fails them anyway.
    files: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
