const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  // Suites start real databases, servers and browsers; on a busy host a
  // MariaDB migration in a hook can take longer than Jest's 5 s default. A hang still fails.
  testTimeout: 30_000,
};
