module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'e2e',
  rootDir: __dirname,
  // Every test here waits on the running platform (a filing's events through four services, on two loaded cores
  // in CI): jest's 5-s default fails a test that is slow, not wrong. A test's own timeout still overrides this.
  testTimeout: 60_000,
};
