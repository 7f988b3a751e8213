// One Jest run covers every package. Type errors are caught by `tsc` (npm run typecheck),
// so ts-jest only transpiles here, which keeps the suite fast.
const path = require('node:path');

const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.json'), isolatedModules: true }],
};
const moduleNameMapper = {
  '^@calcom-oauth/shared$': '<rootDir>/../shared/src/index.ts',
  '^@calcom-oauth/shared/(.*)$': '<rootDir>/../shared/src/$1',
};

const project = (dir, extra = {}) => ({
  displayName: dir,
  rootDir: path.join(__dirname, dir),
  testEnvironment: 'node',
  transform,
  moduleNameMapper,
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/build/'],
  ...extra,
});

module.exports = {
  projects: [project('shared'), project('test'), project('zapier-app'), project('n8n-node')],
};
