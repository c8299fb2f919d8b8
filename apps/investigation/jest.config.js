module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'investigation',
  rootDir: __dirname,
};
