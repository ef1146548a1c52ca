import { describe, expect, it } from 'vitest';
import { displayCsp, htmlForDisplay, sanitizeEmailHtml } from './sanitize';

describe('e-mail HTML sanitizing', () => {
  it('removes scripts, handlers, frames, forms, SVG and javascript: URLs', () => {
    const out = sanitizeEmailHtml(
      '<p onclick="x()">Hi<script>alert(1)</script></p><iframe src="https://evil"></iframe><svg><script>alert(2)</script></svg><a href="javascript:alert(3)">x</a><form action="https://evil"><input name=a></form><img src=x onerror=alert(4)><object data=x></object><math><mi>x</mi></math><meta http-equiv=refresh content="0;url=https://evil"><base href="https://evil/">',
    );
    expect(out).not.toMatch(/script|onclick|onerror|iframe|<svg|javascript:|<form|<input|<object|<math|<meta|<base/i);
    expect(out).toContain('Hi');
  });

  it('keeps styling and links, opening links outside the app', () => {
    const out = sanitizeEmailHtml('<style>p{color:red}</style><p style="color:blue"><a href="https://acme.test/x">link</a></p>');
    expect(out).toContain('<style>');
    expect(out).toContain('style="color:blue"');
    expect(out).toMatch(/<a href="https:\/\/acme.test\/x" target="_blank" rel="noopener noreferrer nofollow">/);
  });

  it('inlines cid: images and parks remote images until allowed', () => {
    const html = sanitizeEmailHtml('<img src="cid:logo@x"><img src="https://tracker.test/p.gif"><img src="cid:missing">');
    const inline = new Map([['logo@x', 'data:image/png;base64,AAAA']]);
    const blocked = { inline, allowRemote: false, blocked: 0 };
    const out = htmlForDisplay(html, blocked);
    expect(out).toContain('src="data:image/png;base64,AAAA"');
    expect(out).toContain('data-remote-src="https://tracker.test/p.gif"');
    expect(out).not.toMatch(/\ssrc="https:\/\/tracker/);
    expect(blocked.blocked).toBe(1);
    const allowed = htmlForDisplay(html, { inline, allowRemote: true, blocked: 0 });
    expect(allowed).toContain('src="https://tracker.test/p.gif"');
    expect(displayCsp(false)).toContain("img-src data:;");
    expect(displayCsp(false)).toContain("default-src 'none'");
    expect(displayCsp(true)).toContain('img-src data: https: http:');
  });
});
