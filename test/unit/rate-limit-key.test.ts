import assert from 'node:assert/strict';
import { ipKeyGenerator } from 'express-rate-limit';
import { rateLimitKey } from '../../src/http/security';

describe('rate limit key', () => {
  it('counts an IPv4 address as itself, also in its IPv6-mapped form', () => {
    assert.equal(rateLimitKey('203.0.113.7'), '203.0.113.7');
    assert.equal(rateLimitKey('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(rateLimitKey('::FFFF:127.0.0.1'), '127.0.0.1');
  });

  it('counts IPv6 addresses by their /56 network, as express-rate-limit does', () => {
    const a = '2001:db8:abcd:12ff:1:2:3:4';
    const b = '2001:db8:abcd:1200::9';
    assert.equal(rateLimitKey(a), rateLimitKey(b), 'one /56, one count');
    assert.notEqual(rateLimitKey(a), rateLimitKey('2001:db8:abcd:1300::1'));
    assert.equal(rateLimitKey(a), ipKeyGenerator(a, 56));
    assert.equal(rateLimitKey('::1'), ipKeyGenerator('::1', 56));
  });

  it('gives a request without an address one shared key rather than failing', () => {
    assert.equal(rateLimitKey(undefined), 'unknown');
  });
});
