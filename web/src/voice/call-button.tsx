import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import './i18n';
import { api } from '../api/client';
import { useInboxes } from '../api/queries';
import { errorMessage } from '../ui/feedback';
import { IconPhone } from '../ui/icons';
import { useToast } from '../ui/toast';
import type { CallInfo } from './types';

/**
 * Click-to-call: Balie rings the agent's own phone first, then bridges the customer (POST …/calls). On a
 * conversation the call is logged there; on a contact on their most recent conversation.
 */
export function CallButton({
  conversationId,
  contactId,
  phone,
  fromSuggestion,
  label,
  className = 'btn btn-small',
  iconOnly,
}: {
  conversationId?: string;
  contactId?: string;
  phone: string | null | undefined;
  fromSuggestion?: boolean;
  label?: string;
  className?: string;
  iconOnly?: boolean;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const qc = useQueryClient();
  const hasLine = (useInboxes().data ?? []).some((i) => i.kind === 'voice');
  const call = useMutation({
    mutationFn: () =>
      api.post<CallInfo>(conversationId ? `/api/v1/conversations/${conversationId}/calls` : `/api/v1/contacts/${contactId}/calls`, fromSuggestion ? { fromSuggestion: true } : {}),
    onSuccess: (c) => {
      toast({ kind: 'info', text: t('voice.call.placed', { number: c.to }) });
      if (conversationId) void qc.invalidateQueries({ queryKey: ['call-suggestion', conversationId] });
    },
    onError: (err) => toast({ kind: 'error', text: errorMessage(t, err) }),
  });
  if (!hasLine) return null;
  const title = !phone ? t('voice.call.noPhone') : t('voice.call.title', { number: phone });
  const text = label ?? t('voice.call.button');
  return (
    <button
      type="button"
      className={className}
      onClick={() => call.mutate()}
      disabled={!phone || call.isPending}
      title={title}
      aria-label={iconOnly ? `${text} ${phone ?? ''}`.trim() : undefined}
      data-testid="call-button"
    >
      <IconPhone /> {iconOnly ? null : call.isPending ? t('voice.call.placing') : text}
    </button>
  );
}
