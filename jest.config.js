// One Jest run, several projects: unit specs beside the code, one service suite per app
// (against real nats-server + FerretDB), and whole-stack suites in test/.
const transform = { '^.+\\.(t|j)s$': ['@swc/jest'] };
const moduleNameMapper = {
  '^@app/(contracts|errors|config|nats|logging|mongo|metrics|health|tracing)(/.*)?$': '<rootDir>/libs/$1/src$2',
};
const base = { rootDir: __dirname, transform, moduleNameMapper, testEnvironment: 'node' };

module.exports = {
  globalSetup: '<rootDir>/test/harness/global-setup.ts',
  globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/test/docs/**/*.spec.ts'],
    },
    { ...base, displayName: 'store', testMatch: ['<rootDir>/test/store/**/*.e2e-spec.ts'] },
    { ...base, displayName: 'auth', testMatch: ['<rootDir>/apps/auth/test/**/*.e2e-spec.ts'] },
    { ...base, displayName: 'message', testMatch: ['<rootDir>/apps/message/test/**/*.e2e-spec.ts'] },
    { ...base, displayName: 'gateway', testMatch: ['<rootDir>/apps/gateway/test/**/*.e2e-spec.ts'] },
    { ...base, displayName: 'stack', testMatch: ['<rootDir>/test/stack/**/*.e2e-spec.ts'] },
    { ...base, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.e2e-spec.ts'] },
    { ...base, displayName: 'chaos', testMatch: ['<rootDir>/test/chaos/**/*.e2e-spec.ts'] },
    { ...base, displayName: 'deploy', testMatch: ['<rootDir>/test/deploy/**/*.spec.ts'] },
  ],
};
