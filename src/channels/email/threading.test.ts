import { describe, expect, it } from 'vitest';
import { baseAddress, baseSubject, conversationFromAddress, conversationFromMessageId, conversationFromThreadIndex, numberFromSubject, ourMessageId, replyToAddress, threadEvidence, threadIndexFor, threadIndexRoot } from './threading';

const conv = '0192f3a4-5b6c-7d8e-9fa0-b1c2d3e4f506';
const msg = '0192f3a4-0000-7000-8000-000000000001';

describe('e-mail threading rules', () => {
  it('reads the conversation back from our Message-ID, reply address and Thread-Index', () => {
    const id = ourMessageId(msg, conv, 'acme.test');
    expect(id).toMatch(/^<balie\.[0-9a-f]{32}\.[0-9a-f]{32}@acme\.test>$/);
    expect(conversationFromMessageId(id)).toBe(conv);
    expect(conversationFromMessageId('<CAF=abc@mail.gmail.com>')).toBeNull();
    const reply = replyToAddress('support@acme.test', conv);
    expect(conversationFromAddress(reply)).toBe(conv);
    expect(conversationFromAddress('support+sales@acme.test')).toBeNull();
    expect(baseAddress('Support+c123@ACME.test')).toBe('support@acme.test');
    const ti = threadIndexFor(conv, null, 3);
    expect(Buffer.from(ti, 'base64')).toHaveLength(27);
    expect(conversationFromThreadIndex(ti)).toBe(conv);
  });

  it('keeps a customer Outlook root when answering in their thread', () => {
    const outlookRoot = Buffer.concat([Buffer.from([0x01, 0xd9, 0x3a, 0x11, 0x22, 0x33]), Buffer.alloc(16, 7)]).toString('base64');
    const ours = threadIndexFor(conv, outlookRoot, 1);
    expect(threadIndexRoot(ours)).toBe(outlookRoot);
    expect(conversationFromThreadIndex(ours)).toBeNull();
    expect(threadIndexRoot('short')).toBeNull();
  });

  it('orders evidence: In-Reply-To first, then References from newest', () => {
    const ev = threadEvidence({ inReplyTo: '<c@x>', references: ['<a@x>', '<b@x>', '<c@x>'], recipients: ['support@acme.test'], subject: 'Re: hi [#42]' });
    expect(ev.referencedIds).toEqual(['<c@x>', '<b@x>', '<a@x>']);
    expect(ev.subjectNumber).toBe(42);
    expect(ev.addressConversation).toBeNull();
  });

  it('strips reply prefixes in several languages and our token', () => {
    expect(baseSubject('Re: AW: Antw: Fwd: Levering [#12]')).toBe('Levering');
    expect(baseSubject('RE: re: WG: test')).toBe('test');
    expect(numberFromSubject('no token')).toBeNull();
  });
});
