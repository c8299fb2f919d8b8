// `npm test` runs every project's unit (*.spec.ts), integration (*.int-spec.ts) and e2e (*.e2e-spec.ts) tests.
module.exports = {
  projects: ['<rootDir>/libs/*/jest.config.js', '<rootDir>/apps/*/jest.config.js'],
};
