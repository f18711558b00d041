// Loaded by mocha before any test file: quiet logs, test mode.
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
process.env.NODE_ENV = 'test';
