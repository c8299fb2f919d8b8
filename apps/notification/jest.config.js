module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'notification',
  rootDir: __dirname,
  // The integration suites share one delivery queue: run one file at a time, so a suite's in-process apps
  // (restarts, replicas, short timeouts) are the only ones sending its webhooks.
  maxWorkers: 1,
};
