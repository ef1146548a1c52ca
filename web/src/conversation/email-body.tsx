import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentWorkspaceId } from '../api/client';
import type { BodyRendererProps } from './body-renderers';

/**
 * An e-mail body: what the customer wrote now as text (quotes and signature folded away), and on request the
 * original — its sanitized HTML in a sandboxed iframe without scripts, same-origin or forms, under a strict CSP.
 * Remote images stay blocked until the agent asks for them.
 */

interface EmailAttrs {
  html?: string;
  quote?: string;
  signature?: string;
  to?: { address: string }[];
  cc?: { address: string }[];
  noise?: 'auto_reply' | 'bulk' | 'bounce';
  claimsAgent?: boolean;
  auth?: { spf: string; dkim: string; dmarc: string; basis?: 'smtp' | 'received' | 'authentication_results' | 'dkim_only' };
  skippedAttachments?: { fileName: string }[];
}

function EmailFrame({ messageId, images }: { messageId: string; images: boolean }) {
  const { t } = useTranslation();
  const [doc, setDoc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    const ws = currentWorkspaceId();
    fetch(`/api/v1/messages/${messageId}/email-html${images ? '?images=1' : ''}`, { credentials: 'same-origin', headers: ws ? { 'x-workspace-id': ws } : {} })
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(String(r.status)))))
      .then((html) => live && setDoc(html))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [messageId, images]);
  if (failed) return <p className="error-text">{t('emailBody.failed')}</p>;
  if (doc === null) return <p className="muted">{t('emailBody.loading')}</p>;
  // No allow-scripts and no allow-same-origin: whatever slipped through cannot run or reach the app.
  return <iframe className="email-frame" title={t('emailBody.frameTitle')} sandbox="allow-popups allow-popups-to-escape-sandbox" srcDoc={doc} referrerPolicy="no-referrer" />;
}

export function EmailBody({ message, Fallback }: BodyRendererProps) {
  const { t } = useTranslation();
  const email = ((message.contentAttributes as Record<string, unknown>).email ?? {}) as EmailAttrs;
  const [open, setOpen] = useState(false);
  const [images, setImages] = useState(false);
  const authBad = email.auth && (email.auth.dmarc === 'fail' || (email.auth.spf !== 'pass' && email.auth.dkim !== 'pass'));
  const remote = typeof email.html === 'string' && /\s(src|background)\s*=\s*["']?https?:/i.test(email.html);
  return (
    <div className="email-body">
      {email.claimsAgent ? <p className="notice notice-warning" role="alert">{t('emailBody.claimsAgent')}</p> : null}
      <div className="email-meta muted">
        {email.to?.length ? <span>{t('emailBody.to', { list: email.to.map((a) => a.address).join(', ') })}</span> : null}
        {email.cc?.length ? <span> · {t('emailBody.cc', { list: email.cc.map((a) => a.address).join(', ') })}</span> : null}
        {email.noise ? <span className="badge"> {t(`emailBody.noise.${email.noise}`)}</span> : null}
        {email.auth ? <span className={authBad ? 'badge badge-warning' : 'badge'} title={[t('emailBody.auth', email.auth), email.auth.basis ? t(`emailBody.authBasis.${email.auth.basis}`) : ''].filter(Boolean).join(' · ')}> {authBad ? t('emailBody.authFailed') : t('emailBody.auth', email.auth)}</span> : null}
      </div>
      <Fallback message={message} />
      {email.quote || email.signature ? <p className="hint">{t('emailBody.quoteHidden')}</p> : null}
      {email.skippedAttachments?.length ? <p className="hint">{t('emailBody.skipped', { names: email.skippedAttachments.map((a) => a.fileName).join(', ') })}</p> : null}
      <div className="email-actions">
        <button type="button" className="link-btn" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? t('emailBody.hideOriginal') : t('emailBody.showOriginal')}
        </button>
        {open && remote && !images ? (
          <button type="button" className="link-btn" onClick={() => setImages(true)}>
            {t('emailBody.showImages')}
          </button>
        ) : null}
      </div>
      {open ? <EmailFrame messageId={message.id} images={images} /> : null}
    </div>
  );
}
