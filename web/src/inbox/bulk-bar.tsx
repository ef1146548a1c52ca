import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { keys } from '../api/queries';
import type { BulkInput, BulkResult } from '../api/types';
import { Popover } from '../ui/popover';
import { useToast } from '../ui/toast';
import { errorMessage } from '../ui/feedback';
import { AssignPicker, LabelPicker, SnoozePicker } from '../conversation/pickers';
import { IconCheck, IconClock, IconTag, IconUser, IconX } from '../ui/icons';

/** Appears when conversations are selected: one action for all of them, with an honest report afterwards. */
export function BulkBar({ ids, onDone }: { ids: string[]; onDone(): void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const run = useMutation({
    mutationFn: (action: BulkInput['action']) => api.post<BulkResult>('/api/v1/conversations/bulk', { conversationIds: ids, action }),
    onSuccess: (r, action) => {
      void qc.invalidateQueries({ queryKey: keys.counts });
      if (action.type === 'read') void qc.invalidateQueries({ queryKey: keys.lists });
      toast({
        kind: r.failed.length ? 'error' : 'info',
        text: r.failed.length ? t('bulk.partial', { done: r.succeeded.length, failed: r.failed.length, reason: r.failed[0]!.message }) : t('bulk.done', { count: r.succeeded.length }),
      });
      onDone();
    },
    onError: (err, action) => toast({ kind: 'error', text: errorMessage(t, err), action: { label: t('common.retry'), run: () => run.mutate(action) } }),
  });
  return (
    <div className="bulk-bar" role="toolbar" aria-label={t('bulk.toolbar', { count: ids.length })}>
      <span className="bulk-count" aria-live="polite">
        {t('bulk.selected', { count: ids.length })}
      </span>
      <Popover label={t('bulk.assign')} buttonClassName="btn btn-small" button={<><IconUser /> {t('bulk.assign')}</>}>
        {(close) => (
          <AssignPicker
            onPick={(target) => {
              close();
              run.mutate({ type: 'assign', ...target });
            }}
          />
        )}
      </Popover>
      <Popover label={t('bulk.label')} buttonClassName="btn btn-small" button={<><IconTag /> {t('bulk.label')}</>}>
        {(close) => (
          <LabelPicker
            selected={[]}
            onToggle={(name) => {
              close();
              run.mutate({ type: 'labels', add: [name], remove: [] });
            }}
          />
        )}
      </Popover>
      <Popover label={t('bulk.snooze')} buttonClassName="btn btn-small" button={<><IconClock /> {t('bulk.snooze')}</>}>
        {(close) => (
          <SnoozePicker
            onPick={(until) => {
              close();
              run.mutate({ type: 'status', status: 'snoozed', snoozedUntil: until.toISOString() });
            }}
          />
        )}
      </Popover>
      <button type="button" className="btn btn-small" disabled={run.isPending} onClick={() => run.mutate({ type: 'status', status: 'resolved' })}>
        <IconCheck /> {t('bulk.resolve')}
      </button>
      <button type="button" className="btn btn-small" disabled={run.isPending} onClick={() => run.mutate({ type: 'read' })}>
        {t('bulk.read')}
      </button>
      <button type="button" className="icon-btn" onClick={onDone} aria-label={t('bulk.clear')} title={t('bulk.clear')}>
        <IconX />
      </button>
    </div>
  );
}
