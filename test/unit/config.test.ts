import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, sqliteFilename } from '../../src/config';

const PROFILES_DIR = path.resolve(__dirname, '../../profiles');

describe('loadConfig', () => {
  let dir: string;
  let base: Record<string, string>;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'helpdesk-config-'));
    base = {
      SESSION_SECRET: 's'.repeat(32),
      DATABASE_URL: `sqlite://${path.join(dir, 'x.sqlite3')}`,
    };
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes a profile file into the temporary folder and returns its path. */
  function profileFile(name: string, text: string): string {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  }

  function configError(env: Record<string, string>): ConfigError {
    try {
      loadConfig({ ...base, ...env });
    } catch (error) {
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
      return error;
    }
    assert.fail(`expected loadConfig to refuse ${JSON.stringify(env)}`);
  }

  it('takes the documented defaults when only the secret and database are given', () => {
    const config = loadConfig(base);
    assert.equal(config.env.PORT, 3000);
    assert.equal(config.env.RATE_LIMIT_PER_MINUTE, 20);
    assert.deepEqual(config.profile.hours, {
      mon: ['09:00', '16:00'],
      tue: ['09:00', '16:00'],
      wed: ['09:00', '16:00'],
      thu: ['09:00', '16:00'],
      fri: ['09:00', '16:00'],
    });
    assert.equal(config.profile.timezone, 'America/Los_Angeles');
    assert.equal(config.profile.callbacks.capacity, 2);
    assert.equal(config.profile.holidays, 'us-federal');
  });

  it('puts the data folder next to the SQLite file and uses the given secret', () => {
    const config = loadConfig(base);
    assert.equal(config.dataDir, dir);
    assert.equal(config.sessionSecret, base.SESSION_SECRET);
  });

  it('returns a frozen object', () => {
    const config = loadConfig(base);
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.env));
  });

  it('reads numbers and booleans from their text', () => {
    const config = loadConfig({
      ...base,
      PORT: '8080',
      RATE_LIMIT_PER_MINUTE: '5',
      IMAP_TLS: 'false',
    });
    assert.equal(config.env.PORT, 8080);
    assert.equal(config.env.RATE_LIMIT_PER_MINUTE, 5);
    assert.equal(config.env.IMAP_TLS, false);
  });

  const badVariables: Array<{ variable: string; env: Record<string, string> }> = [
    { variable: 'PORT', env: { PORT: 'abc' } },
    { variable: 'PORT', env: { PORT: '70000' } },
    { variable: 'DATABASE_URL', env: { DATABASE_URL: 'mysql://x' } },
    {
      variable: 'RATE_LIMIT_PER_MINUTE',
      env: { RATE_LIMIT_PER_MINUTE: '0' },
    },
    { variable: 'IMAP_TLS', env: { IMAP_TLS: 'maybe' } },
    { variable: 'SESSION_SECRET', env: { SESSION_SECRET: 'too-short' } },
    {
      variable: 'IMAP_USER',
      env: {
        IMAP_HOST: 'imap.example.gov',
        IMAP_PASSWORD: 'secret',
        MAIL_FROM: 'ecfhelp@example.gov',
      },
    },
  ];

  for (const { variable, env } of badVariables) {
    it(`refuses ${JSON.stringify(env)} with a message naming ${variable}`, () => {
      const error = configError(env);
      assert.match(error.message, new RegExp(`\\b${variable}\\b`));
    });
  }

  it('names every bad variable at once', () => {
    const error = configError({ PORT: 'abc', IMAP_TLS: 'maybe' });
    assert.match(error.message, /\bPORT\b/);
    assert.match(error.message, /\bIMAP_TLS\b/);
  });

  const badProfiles: Array<{
    what: string;
    file: string;
    text: string;
    key: RegExp;
  }> = [
    {
      what: 'an unknown time zone',
      file: 'bad-zone.json',
      text: JSON.stringify({ timezone: 'Mars/Olympus' }),
      key: /\btimezone\b/,
    },
    {
      what: 'hours that end before they start',
      file: 'bad-hours.json',
      text: JSON.stringify({ hours: { mon: ['16:00', '09:00'] } }),
      key: /\bhours\.mon\b/,
    },
    {
      what: 'a time not written HH:MM',
      file: 'bad-time.json',
      text: JSON.stringify({ hours: { tue: ['9am', '16:00'] } }),
      key: /\bhours\.tue\b/,
    },
    {
      what: 'an unknown top-level key',
      file: 'unknown-key.json',
      text: JSON.stringify({ colour: 'blue' }),
      key: /\bcolour\b/,
    },
    {
      what: 'an unknown nested key',
      file: 'unknown-nested.json',
      text: JSON.stringify({ callbacks: { slots: 3 } }),
      key: /\bslots\b/,
    },
    {
      what: 'a bad key in a YAML file',
      file: 'bad.yaml',
      text: 'timezone: Pacific Time\n',
      key: /\btimezone\b/,
    },
  ];

  for (const { what, file, text, key } of badProfiles) {
    it(`refuses a COURT_PROFILE with ${what}, naming the key`, () => {
      const error = configError({ COURT_PROFILE: profileFile(file, text) });
      assert.match(error.message, key);
    });
  }

  it('refuses a COURT_PROFILE that does not exist, naming the variable', () => {
    const error = configError({
      COURT_PROFILE: path.join(dir, 'no-such-profile.json'),
    });
    assert.match(error.message, /\bCOURT_PROFILE\b/);
  });

  it('reads a YAML profile', () => {
    const file = profileFile(
      'court.yaml',
      ['timezone: America/Chicago', 'hours:', '  mon: ["08:00", "12:00"]', 'callbacks:', '  capacity: 4', ''].join('\n'),
    );
    const config = loadConfig({ ...base, COURT_PROFILE: file });
    assert.equal(config.profile.timezone, 'America/Chicago');
    assert.deepEqual(config.profile.hours, { mon: ['08:00', '12:00'] });
    assert.equal(config.profile.callbacks.capacity, 4);
    assert.equal(config.profile.callbacks.slotMinutes, 15);
  });

  const examples = readdirSync(PROFILES_DIR).filter((name) => name.endsWith('.json'));

  it('has example profiles to check', () => {
    assert.ok(examples.length > 0, `no profiles in ${PROFILES_DIR}`);
  });

  for (const name of examples) {
    it(`loads the example profile profiles/${name}`, () => {
      const config = loadConfig({
        ...base,
        COURT_PROFILE: path.join(PROFILES_DIR, name),
      });
      assert.equal(config.profile.court.id, path.basename(name, '.json'));
    });
  }
});

describe('sqliteFilename', () => {
  const cases: Array<{ url: string; file: string }> = [
    { url: 'sqlite:data/x.sqlite3', file: path.resolve('data/x.sqlite3') },
    { url: 'sqlite:///var/lib/hd.sqlite3', file: '/var/lib/hd.sqlite3' },
    { url: 'sqlite://data/x.sqlite3', file: path.resolve('data/x.sqlite3') },
  ];

  for (const { url, file } of cases) {
    it(`reads ${url} as ${file}`, () => {
      assert.equal(sqliteFilename(url), file);
    });
  }
});
