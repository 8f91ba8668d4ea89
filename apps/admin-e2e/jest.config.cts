module.exports = {
  displayName: 'admin-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  // Boots three servers and drives a real browser: minutes, not seconds.
  testTimeout: 240_000,
};
