import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // The tools' few plain-JavaScript files are linted (below); other .js/.mjs files are configuration or built output.
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.js', '**/*.mjs', '!tools/**/*.mjs', '.kafka/**', '.nx/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A background loop or handler whose promise nobody awaits fails silently (STYLE.md habit 9).
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Dependency direction (STYLE.md): apps → platform → contracts; apps → domain → contracts.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            // End-to-end tests drive the running platform through HTTP and Kafka only: no app code.
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:contracts', 'type:client'] },
            // The scripts behind the npm commands (tools/) start and drive the platform as the e2e tests do.
            { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['type:testing', 'type:contracts', 'type:client'] },
            // The typed client is generated from the services' OpenAPI documents; callers outside the services use it.
            // (type:testing: the console's browser test starts the services with the harness.)
            { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:client', 'type:contracts', 'type:testing'] },
            { sourceTag: 'type:client', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:platform', 'type:domain', 'type:contracts', 'type:testing'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
          ],
        },
      ],
    },
  },
  {
    // Consumers use the typed decorators, whose parameter the compiler checks against the contract.
    files: ['apps/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@nestjs/microservices', importNames: ['EventPattern', 'MessagePattern'], message: 'Use @OnEvent / @OnEventBatch from @recourse/platform.' }] },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'libs/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The tools' plain JavaScript: the bootstrap (it runs before node_modules exist), the OpenAPI extractor (it
    // compiles with tsc itself) and the profiler hook (preloaded into the built services). Node, no types.
    files: ['tools/**/*.mjs', 'tools/**/*.cjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
