import assert from 'node:assert/strict';
import { isCourtAddress, ownWords } from '../../src/mail/inbound/own-words';

describe('own words of an email', () => {
  const cases: Array<[string, string, string]> = [
    ['keeps a message with nothing quoted', 'My login fails.\nPlease help.', 'My login fails.\nPlease help.'],
    [
      'stops at a Gmail forward',
      'Why is this link broken?\n\n---------- Forwarded message ---------\nFrom: cmecf@cand.uscourts.gov\nPlease contact chambers.',
      'Why is this link broken?',
    ],
    ['stops at Apple Mail’s forward', 'See below.\n\nBegin forwarded message:\n\nFrom: court', 'See below.'],
    ['stops at an Outlook original message', 'Thanks.\n-----Original Message-----\nFrom: x', 'Thanks.'],
    [
      'stops at "On … wrote:"',
      'It works now.\n\nOn Mon, Nov 23, 2026 at 9:00 AM Helpdesk <h@c.gov> wrote:\n> Try again',
      'It works now.',
    ],
    ['drops lines quoted with >', 'Still broken.\n> Did you clear the cache?\nYes I did.', 'Still broken.\nYes I did.'],
    ['stops at Outlook’s From/Sent block', 'FYI\n\nFrom: Court Clerk\nSent: Monday\nTo: me', 'FYI'],
  ];
  for (const [name, text, expected] of cases) it(name, () => assert.equal(ownWords(text), expected));

  it('knows a court’s own addresses', () => {
    assert.equal(isCourtAddress('cmecf_notices@cand.uscourts.gov'), true);
    assert.equal(isCourtAddress('ACMS@ca9.fedcourts.us'), true);
    assert.equal(isCourtAddress('someone@uscourts.gov.evil.example'), false);
    assert.equal(isCourtAddress('filer@example.com'), false);
    assert.equal(isCourtAddress(null), false);
  });
});
