import { describe, expect, it } from 'vitest';
import { countExchanges, detectPingPong, type ThreadMessage } from './ping-pong';

const t0 = new Date('2026-11-30T09:00:00Z');
const thread = (...parts: [ThreadMessage['from'], string][]): ThreadMessage[] =>
  parts.map(([from, content], i) => ({ from, content, at: new Date(t0.getTime() + i * 3_600_000) }));
const open = { resolved: false, promiseAtRisk: false };

describe('ping-pong detection', () => {
  it('counts a bounce only when the customer writes again after an agent answer', () => {
    expect(countExchanges(thread(['customer', 'a'], ['customer', 'b'], ['agent', 'c']))).toBe(0);
    expect(countExchanges(thread(['customer', 'a'], ['agent', 'b'], ['customer', 'c']))).toBe(1);
    expect(countExchanges(thread(['customer', 'a'], ['agent', 'b'], ['agent', 'b2'], ['customer', 'c'], ['agent', 'd'], ['customer', 'e']))).toBe(2);
  });

  it('suggests a call after three exchanges without resolution, and not before', () => {
    const two = thread(['customer', 'Modem knippert'], ['agent', 'Herstart hem'], ['customer', 'Gedaan'], ['agent', 'Kabel los?'], ['customer', 'Nee']);
    expect(detectPingPong(two, open)).toEqual({ suggestCall: false, reasons: [] });
    const three = [...two, ...thread(['agent', 'Ander stopcontact?'], ['customer', 'Ook niet'])].map((m, i) => ({ ...m, at: new Date(t0.getTime() + i * 60_000) }));
    expect(detectPingPong(three, open)).toEqual({ suggestCall: true, reasons: [{ kind: 'exchanges', count: 3 }] });
    expect(detectPingPong(three, { ...open, thresholds: { exchanges: 4 } }).suggestCall).toBe(false);
  });

  it('never nudges on a resolved conversation', () => {
    const many = thread(['customer', 'a'], ['agent', 'b'], ['customer', 'c'], ['agent', 'd'], ['customer', 'e'], ['agent', 'f'], ['customer', 'g']);
    expect(detectPingPong(many, { ...open, resolved: true }).suggestCall).toBe(false);
  });

  it('notices a question asked again after it was answered', () => {
    const v = detectPingPong(
      thread(
        ['customer', 'Wanneer komt de monteur mijn glasvezelaansluiting repareren?'],
        ['agent', 'We plannen de monteur in.'],
        ['customer', 'Maar wanneer komt de monteur nu mijn glasvezelaansluiting repareren?'],
      ),
      open,
    );
    expect(v.suggestCall).toBe(true);
    expect(v.reasons).toEqual([{ kind: 'repeated_question', excerpt: 'Maar wanneer komt de monteur nu mijn glasvezelaansluiting repareren?' }]);
  });

  it('does not count a question repeated before anyone answered (a customer adding detail)', () => {
    const v = detectPingPong(
      thread(['customer', 'Wanneer komt de monteur mijn aansluiting repareren?'], ['customer', 'Wanneer komt de monteur mijn aansluiting repareren? Graag snel']),
      open,
    );
    expect(v.reasons.some((r) => r.kind === 'repeated_question')).toBe(false);
  });

  it('hears frustration in Dutch and English in the latest customer message, accents and case ignored', () => {
    expect(detectPingPong(thread(['customer', 'Dit is BELACHELIJK, het werkt nóg steeds niet!']), open).reasons).toEqual([{ kind: 'frustration', signal: 'nog steeds' }]);
    expect(detectPingPong(thread(['customer', 'Schandalig!']), open).reasons).toEqual([{ kind: 'frustration', signal: 'schandalig' }]);
    expect(detectPingPong(thread(['customer', "I'm fed up with this"]), open).reasons).toEqual([{ kind: 'frustration', signal: 'fed up' }]);
    expect(detectPingPong(thread(['customer', 'Kunt u bellen? Typen lukt niet goed']), open).reasons[0]).toEqual({ kind: 'frustration', signal: 'kunt u bellen' });
  });

  it('does not mistake ordinary words for frustration', () => {
    for (const text of ['Thanks again, it works!', 'Ik zat gisteren thuis te wachten en de monteur kwam keurig', 'Dank u wel']) {
      expect(detectPingPong(thread(['customer', text]), open).suggestCall).toBe(false);
    }
  });

  it('ignores frustration that came before the agent answered and the customer calmed down', () => {
    const v = detectPingPong(thread(['customer', 'Belachelijk dit'], ['agent', 'Sorry, ik heb het opgelost.'], ['customer', 'Top, dank je']), open);
    expect(v.reasons.some((r) => r.kind === 'frustration')).toBe(false);
  });

  it('takes workspace signal words and the promise at risk into account', () => {
    expect(detectPingPong(thread(['customer', 'Dit is een drama']), { ...open, thresholds: { frustrationWords: ['drama'] } }).reasons).toEqual([{ kind: 'frustration', signal: 'drama' }]);
    expect(detectPingPong(thread(['customer', 'Hallo']), { ...open, promiseAtRisk: true }).reasons).toEqual([{ kind: 'promise_at_risk' }]);
  });
});
