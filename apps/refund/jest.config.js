module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'refund',
  rootDir: __dirname,
};
