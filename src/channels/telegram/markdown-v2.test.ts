import { describe, expect, it } from 'vitest';
import { escapeMarkdownV2, markdownToTelegram } from './markdown-v2';

describe('Telegram MarkdownV2', () => {
  it('escapes every special character of plain text', () => {
    expect(escapeMarkdownV2('Order #12-3 (ok). Cost: 5+5=10! a_b *c* [d] {e} ~f~ `g` >h |i| \\j')).toBe(
      'Order \\#12\\-3 \\(ok\\)\\. Cost: 5\\+5\\=10\\! a\\_b \\*c\\* \\[d\\] \\{e\\} \\~f\\~ \\`g\\` \\>h \\|i\\| \\\\j',
    );
  });
  it('turns agent Markdown into entities and escapes inside them', () => {
    expect(markdownToTelegram('**Let op!** zie [de status (nu)](https://x.nl/a_b?c=1) en `a_b.c`')).toBe(
      '*Let op\\!* zie [de status \\(nu\\)](https://x.nl/a_b?c=1) en `a_b.c`',
    );
  });
  it('keeps italics and code blocks, escaping ` and \\ inside code', () => {
    expect(markdownToTelegram('_heel_ *erg* ```\nx = `y` \\ z\n```')).toBe('_heel_ _erg_ ```\nx = \\`y\\` \\\\ z\n```');
  });
  it('leaves lone markers as escaped text', () => {
    expect(markdownToTelegram('2 * 3 = 6 and snake_case_name.')).toBe('2 \\* 3 \\= 6 and snake\\_case\\_name\\.');
  });
});
