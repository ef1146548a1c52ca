import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { keys } from '../api/queries';
import type { PendingEmail } from '../api/types';
import { dateTime, fullDateTime } from '../i18n/format';
import { errorMessage } from '../ui/feedback';
import { IconMail } from '../ui/icons';
import { useToast } from '../ui/toast';

/** Under the contact's key, so whatever refreshes the contact (an edit, a merge) refreshes these too. */
const pendingKey = (contactId: string) => [...keys.contact(contactId), 'pending-emails'] as const;

/**
 * Addresses a widget visitor typed that wait for the click on their confirmation link. They are no identity yet
 * (mail from them does not land here, nothing of the chat goes to them), so they are listed apart from the
 * confirmed ones, with when the link was mailed and a way to mail it again.
 */
export function PendingEmails({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: pendingKey(contactId),
    queryFn: () => api.get<{ items: PendingEmail[] }>(`/api/v1/contacts/${contactId}/pending-emails`),
    select: (d) => d.items,
    staleTime: 15_000,
  });
  if (!q.data?.length) return null;
  return (
    <ul className="identities pending-identities" aria-label={t('customer.pendingLabel')}>
      {q.data.map((p) => (
        <PendingEmailItem key={p.conversationId} pending={p} contactId={contactId} />
      ))}
    </ul>
  );
}

function PendingEmailItem({ pending, contactId }: { pending: PendingEmail; contactId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const resend = useMutation({
    mutationFn: () => api.post<PendingEmail>(`/api/v1/conversations/${pending.conversationId}/email-confirmation/resend`),
    onSuccess: () => {
      toast({ kind: 'info', text: t('customer.pendingResent', { email: pending.email }) });
      void qc.invalidateQueries({ queryKey: pendingKey(contactId) });
    },
    onError: (err) => toast({ kind: 'error', text: errorMessage(t, err) }),
  });
  const when = dateTime(pending.sentAt);
  return (
    <li className="identity-pending" title={t('customer.pendingHint')}>
      <span className="identity-icon">
        <IconMail />
      </span>
      <span className="identity-main">
        <span className="identity-value" dir="auto">
          {pending.email}
        </span>{' '}
        <span className="pending-badge">{t('customer.pendingBadge')}</span>
        <span className="muted small block">
          <time dateTime={pending.sentAt} title={fullDateTime(pending.sentAt)}>
            {pending.expired ? t('customer.pendingExpired', { time: when }) : t('customer.pendingSent', { time: when })}
          </time>
          {' · '}
          <button type="button" className="link-btn" onClick={() => resend.mutate()} disabled={resend.isPending}>
            {t('customer.pendingResend')}
          </button>
        </span>
      </span>
    </li>
  );
}
