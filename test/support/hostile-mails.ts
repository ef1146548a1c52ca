import crypto from 'node:crypto';

/**
 * A generated corpus of broken and hostile e-mails: malformed MIME, missing headers, script payloads, disguised
 * file names, header injection, invalid charsets, deep nesting, a 25 MB attachment and random bytes.
 */
export interface HostileMail {
  name: string;
  raw: Buffer;
  from: string;
}

const CRLF = (s: string) => s.replace(/\r?\n/g, '\r\n');

function mail(i: number, headers: string, body: string | Buffer): HostileMail['raw'] {
  const head = Buffer.from(CRLF(headers.trim()) + '\r\n\r\n', 'utf8');
  return Buffer.concat([head, typeof body === 'string' ? Buffer.from(CRLF(body), 'utf8') : body]);
}

const PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '<svg onload="window.__pwned=1"><circle r=5 /></svg>',
  '<svg><script>window.__pwned=1</script></svg>',
  '<iframe src="javascript:window.top.__pwned=1"></iframe>',
  '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
  '<a href="javascript:window.__pwned=1">click</a>',
  '<a href="jav&#x09;ascript:window.__pwned=1">tab</a>',
  '<a href=" JaVaScRiPt:window.__pwned=1">case</a>',
  '<body onload="window.__pwned=1">x</body>',
  '<object data="javascript:window.__pwned=1"></object>',
  '<embed src="data:text/html,<script>parent.__pwned=1</script>">',
  '<form action="javascript:window.__pwned=1"><button>go</button></form>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1></style></mglyph></table></mtext></math>',
  '<style>@import "https://evil.test/x.css";</style><p>styled</p>',
  '<div style="background:url(javascript:window.__pwned=1)">bg</div>',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">',
  '<base href="javascript:/">',
  '<link rel=import href="https://evil.test/x">',
  '<details open ontoggle="window.__pwned=1">t</details>',
  '<video><source onerror="window.__pwned=1"></video>',
  '<noscript><p title="</noscript><img src=x onerror=window.__pwned=1>">',
  '<template><script>window.__pwned=1</script></template>',
  '<isindex action="javascript:window.__pwned=1" type=image>',
  '<img src="https://tracker.test/pixel.gif?u=1" width=1 height=1>',
  '<input autofocus onfocus="window.__pwned=1">',
  '<marquee onstart="window.__pwned=1">m</marquee>',
  '<scr<script>ipt>window.__pwned=1</scr</script>ipt>',
  '"><script>window.__pwned=1</script>',
  '<img src="cid:nope" onerror="window.__pwned=1">',
];

export function hostileCorpus(): HostileMail[] {
  const out: HostileMail[] = [];
  let i = 0;
  const add = (name: string, build: (from: string, id: string) => Buffer) => {
    const from = `h${i}@hostile.test`;
    out.push({ name, from, raw: build(from, `<hostile-${i}-${crypto.randomBytes(3).toString('hex')}@hostile.test>`) });
    i++;
  };

  // 60: script payloads as HTML-only, multipart/alternative and HTML attachment.
  for (const p of PAYLOADS) {
    add(`html-only: ${p.slice(0, 30)}`, (f, id) => mail(i, `From: ${f}\nTo: support@acme.test\nSubject: payload\nMessage-ID: ${id}\nContent-Type: text/html; charset=utf-8`, `<html><body><p>Hallo</p>${p}</body></html>`));
    add(`alternative: ${p.slice(0, 30)}`, (f, id) =>
      mail(i, `From: ${f}\nTo: support@acme.test\nSubject: payload alt\nMessage-ID: ${id}\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="b"`, `--b\nContent-Type: text/plain\n\nplain\n--b\nContent-Type: text/html\n\n${p}\n--b--\n`),
    );
  }
  // 30: malformed MIME.
  const malformed: [string, string, string][] = [
    ['no boundary param', 'Content-Type: multipart/mixed', '--x\nContent-Type: text/plain\n\nhi\n--x--'],
    ['unterminated multipart', 'Content-Type: multipart/mixed; boundary=z', '--z\nContent-Type: text/plain\n\nhi\n--z\nContent-Type: text/plain\n\nno end'],
    ['wrong boundary', 'Content-Type: multipart/mixed; boundary=a', '--b\nContent-Type: text/plain\n\nhi\n--b--'],
    ['broken base64', 'Content-Type: text/plain\nContent-Transfer-Encoding: base64', '!!!!not*base64@@@@\n===='],
    ['unknown transfer encoding', 'Content-Type: text/plain\nContent-Transfer-Encoding: x-weird', 'hello'],
    ['broken quoted-printable', 'Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable', 'a=ZZb=\n=\n=4'],
    ['empty body', 'Content-Type: text/plain', ''],
    ['content-type garbage', 'Content-Type: ;;;;===;', 'x'],
    ['nested multipart without ends', 'Content-Type: multipart/mixed; boundary=o', '--o\nContent-Type: multipart/alternative; boundary=i\n\n--i\nContent-Type: text/plain\n\ninner'],
    ['binary body', 'Content-Type: application/octet-stream', '\u0000\u0001\u0002\u00ff\u00fe'],
    ['NUL in headers', 'X-Null: a\u0000b\nContent-Type: text/plain', 'nul'],
    ['multipart with 500 empty parts', 'Content-Type: multipart/mixed; boundary=p', `${'--p\n\n'.repeat(500)}--p--`],
    ['very long header line', `X-Long: ${'a'.repeat(100_000)}\nContent-Type: text/plain`, 'long header'],
    ['2000 headers', `${Array.from({ length: 2000 }, (_, k) => `X-H${k}: v`).join('\n')}\nContent-Type: text/plain`, 'many headers'],
    ['message/rfc822 broken inside', 'Content-Type: message/rfc822', 'not a message at all'],
    ['report without parts', 'Content-Type: multipart/report; report-type=delivery-status; boundary=r', '--r--'],
    ['charset in quotes with junk', 'Content-Type: text/plain; charset="utf-8\\" onload=x"', 'x'],
    ['bare LF and CR mixed', 'Content-Type: text/plain', 'a\rb\nc\r\nd'],
    ['8-bit in headers', 'Subject: caf\u00e9 \u00ff\u00fe\nContent-Type: text/plain', 'x'],
    ['huge line body', 'Content-Type: text/plain', 'y'.repeat(2_000_000)],
  ];
  for (const [name, headers, body] of malformed) {
    add(`malformed: ${name}`, (f, id) => mail(i, `From: ${f}\nTo: support@acme.test\nSubject: ${name}\nMessage-ID: ${id}\nMIME-Version: 1.0\n${headers}`, Buffer.from(CRLF(body), 'latin1')));
    add(`malformed+html: ${name}`, (f, id) => mail(i, `From: ${f}\nTo: support@acme.test\nSubject: ${name}\nMessage-ID: ${id}\n${headers.replace('text/plain', 'text/html')}`, Buffer.from(CRLF(body), 'latin1')));
  }
  // 14: missing or broken headers.
  const headerCases: [string, string][] = [
    ['no From', 'To: support@acme.test\nSubject: no from'],
    ['empty From', 'From: <>\nTo: support@acme.test'],
    ['From without address', 'From: Just A Name\nTo: support@acme.test'],
    ['From group syntax', 'From: undisclosed-recipients:;\nTo: support@acme.test'],
    ['From with two addresses', 'From: a@x.test, b@y.test\nTo: support@acme.test'],
    ['no Date no Subject', 'From: FROM\nTo: support@acme.test'],
    ['no Message-ID', 'From: FROM\nTo: support@acme.test\nSubject: no id'],
    ['duplicate Message-ID headers', 'From: FROM\nMessage-ID: <a1@x>\nMessage-ID: <a2@x>\nTo: support@acme.test'],
    ['bad Date', 'From: FROM\nDate: yesterday at noon-ish\nTo: support@acme.test'],
    ['future Date', 'From: FROM\nDate: Fri, 01 Jan 2100 00:00:00 +0000\nTo: support@acme.test'],
    ['In-Reply-To garbage', 'From: FROM\nIn-Reply-To: <<<>>>\nReferences: ' + '<r@x> '.repeat(2000) + '\nTo: support@acme.test'],
    ['Thread-Index garbage', 'From: FROM\nThread-Index: ####\nTo: support@acme.test'],
    ['no header/body separator', 'From: FROM\nTo: support@acme.test\nSubject: all header'],
    ['Reply-To injection', 'From: FROM\nReply-To: "x\r\nBcc: victim@else.test" <x@y.test>\nTo: support@acme.test'],
  ];
  for (const [name, headers] of headerCases) {
    add(`headers: ${name}`, (f, id) => Buffer.from(CRLF(`${headers.replace('FROM', f)}${/Message-ID/.test(headers) || name === 'no Message-ID' ? '' : `\nMessage-ID: ${id}`}\n\nbody of ${name}\n`)));
  }
  // 20: header injection attempts and invalid charsets.
  const injections = [
    '=?UTF-8?Q?Hello=0D=0ABcc:_evil@else.test?=',
    '=?UTF-8?B?' + Buffer.from('Hi\r\nBcc: evil@else.test\r\n\r\n<script>x</script>').toString('base64') + '?=',
    'Hi\u2028Bcc: evil@else.test',
    '=?x-unknown?Q?abc?=',
    '=?UTF-8?Q?unterminated',
    '=?ISO-2022-JP?B?GyRCJDMkcw?=',
    '=?utf-8?b?////?=',
    '=?UTF-16?B?2D3eAA==?=',
    '=?UTF-7?Q?+AGEAYgBj-?=',
    '=?windows-1252?Q?=80=81=8D=8F=90=9D?=',
  ];
  for (const s of injections) {
    add(`subject injection: ${s.slice(0, 20)}`, (f, id) => mail(i, `From: ${f}\nTo: support@acme.test\nSubject: ${s}\nMessage-ID: ${id}\nContent-Type: text/plain; charset=utf-8`, 'inj'));
  }
  for (const cs of ['x-no-such', 'utf-8" onload="x', 'UTF-7', 'unicode-1-1-utf-7', 'ISO-2022-KR', 'utf-32', 'gb18030', 'koi8-r', '', 'binary']) {
    add(`charset: ${cs}`, (f, id) => mail(i, `From: ${f}\nTo: support@acme.test\nSubject: cs\nMessage-ID: ${id}\nContent-Type: text/plain; charset=${cs}`, Buffer.from([0x68, 0x69, 0x20, 0x80, 0xff, 0xc3, 0x28, 0xe2, 0x82])));
  }
  // 20: hostile file names and dangerous types.
  const names = ['invoice\u202Efdp.exe', 'zero\u200B\u200C\u200Dwidth.pdf', '../../etc/passwd', '..\\..\\windows\\system32\\x.dll', 'CON', 'a'.repeat(400) + '.txt', '\u0000nul.txt', 'con.txt', '.htaccess', 'x.svg', 'x.html', 'x.js', '   ', 'a/b/c.png', '\uFEFFbom.doc', 'e\u0301.txt', 'report.pdf\u0000.exe', '%2e%2e%2fup.txt', 'x:y.txt', '<script>.png'];
  const types = ['application/x-msdownload', 'application/pdf', 'text/plain', 'application/octet-stream', 'text/plain', 'text/plain', 'text/plain', 'text/plain', 'text/plain', 'image/svg+xml', 'text/html', 'application/javascript', 'text/plain', 'image/png', 'application/msword', 'text/plain', 'application/pdf', 'text/plain', 'text/plain', 'image/png'];
  names.forEach((name, k) => {
    add(`attachment name: ${JSON.stringify(name).slice(0, 30)}`, (f, id) =>
      mail(
        i,
        `From: ${f}\nTo: support@acme.test\nSubject: attachment\nMessage-ID: ${id}\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="m"`,
        `--m\nContent-Type: text/plain\n\nsee attached\n--m\nContent-Type: ${types[k]}; name="=?UTF-8?B?${Buffer.from(name).toString('base64')}?="\nContent-Disposition: attachment; filename*=UTF-8''${encodeURIComponent(name)}\nContent-Transfer-Encoding: base64\n\n${Buffer.from(k === 9 ? '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>' : k === 10 ? '<script>alert(1)</script>' : `file ${k}`).toString('base64')}\n--m--\n`,
      ),
    );
  });
  // Nesting: message/rfc822 ten levels deep, and one a hundred deep.
  for (const depth of [10, 100]) {
    add(`nested rfc822 x${depth}`, (f, id) => {
      let inner = `From: inner@x.test\r\nSubject: level ${depth}\r\nContent-Type: text/plain\r\n\r\nbottom\r\n`;
      for (let d = depth - 1; d >= 1; d--) inner = `From: l${d}@x.test\r\nSubject: level ${d}\r\nContent-Type: message/rfc822\r\n\r\n${inner}`;
      return mail(i, `From: ${f}\nTo: support@acme.test\nSubject: nested\nMessage-ID: ${id}\nContent-Type: message/rfc822`, inner);
    });
  }
  // 60 attachments in one mail (more than the per-mail cap of 50).
  add('60 attachments', (f, id) =>
    mail(
      i,
      `From: ${f}\nTo: support@acme.test\nSubject: many\nMessage-ID: ${id}\nContent-Type: multipart/mixed; boundary=q`,
      Array.from({ length: 60 }, (_, k) => `--q\nContent-Type: text/plain; name=f${k}.txt\nContent-Disposition: attachment; filename=f${k}.txt\n\nfile ${k}\n`).join('') + '--q--\n',
    ),
  );
  // A 25 MB attachment.
  add('25 MB attachment', (f, id) => {
    const data = crypto.randomBytes(25 * 1000 * 1000).toString('base64').replace(/.{76}/g, '$&\r\n');
    return Buffer.concat([
      Buffer.from(CRLF(`From: ${f}\nTo: support@acme.test\nSubject: big\nMessage-ID: ${id}\nContent-Type: multipart/mixed; boundary=big\n\n--big\nContent-Type: text/plain\n\nbig file\n--big\nContent-Type: application/zip; name=big.zip\nContent-Disposition: attachment; filename=big.zip\nContent-Transfer-Encoding: base64\n\n`)),
      Buffer.from(data),
      Buffer.from('\r\n--big--\r\n'),
    ]);
  });
  // Random bytes (seeded so a failure can be reproduced).
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let k = 0; out.length < 230; k++) {
    add(`random bytes ${k}`, (f) => {
      const len = 20 + Math.floor(rnd() * 4000);
      const bytes = Buffer.alloc(len);
      for (let b = 0; b < len; b++) bytes[b] = Math.floor(rnd() * 256);
      return k % 2 ? Buffer.concat([Buffer.from(`From: ${f}\r\n`), bytes]) : bytes;
    });
  }
  return out;
}
