import assert from 'node:assert/strict';
import { hashStatusToken, looksLikeStatusToken, newStatusToken } from '../../src/tickets/status-token';

describe('status tokens', () => {
  it('are 32 random bytes, URL-safe, and never repeat, across many refills of the random pool', () => {
    const tokens = Array.from({ length: 5000 }, newStatusToken);
    assert.equal(new Set(tokens).size, tokens.length);
    for (const token of tokens) {
      assert.ok(looksLikeStatusToken(token), token);
      assert.equal(Buffer.from(token, 'base64url').length, 32);
    }
  });

  it('are stored only as their SHA-256 hash', () => {
    const token = newStatusToken();
    assert.match(hashStatusToken(token), /^[0-9a-f]{64}$/);
    assert.notEqual(hashStatusToken(token), hashStatusToken(newStatusToken()));
  });
});
