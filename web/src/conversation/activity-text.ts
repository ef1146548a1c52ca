import type { TFunction } from 'i18next';
import type { Message } from '../api/types';
import { dateTime } from '../i18n/format';

/** System lines in a conversation ("Lotte assigned this to Sanne"), composed in the reader's language. */
export function activityText(t: TFunction, m: Message): string {
  const a = m.contentAttributes as Record<string, unknown>;
  const who = m.senderName ?? t('activity.system');
  switch (a.activity) {
    case 'status_changed': {
      const to = String(a.to);
      if (a.reason === 'snooze_ended') return t('activity.snoozeEnded');
      if (to === 'snoozed' && a.snoozedUntil) return t('activity.snoozed', { who, until: dateTime(String(a.snoozedUntil)) });
      return t('activity.status', { who, status: t(`status.${to}`, { defaultValue: to }) });
    }
    case 'assigned': {
      const parts: string[] = [];
      if ('assigneeId' in a) parts.push(a.assigneeId ? t('activity.assignedTo', { name: a.assigneeName ?? '?' }) : t('activity.unassigned'));
      if ('teamId' in a) parts.push(a.teamId ? t('activity.teamTo', { name: a.teamName ?? '?' }) : t('activity.teamRemoved'));
      const what = parts.join(t('activity.and'));
      return a.auto ? t('activity.autoAssigned', { what }) : t('activity.assigned', { who, what });
    }
    case 'labels_changed': {
      const added = (a.added as string[] | undefined) ?? [];
      const removed = (a.removed as string[] | undefined) ?? [];
      const parts = [added.length ? t('activity.labelsAdded', { labels: added.join(', ') }) : '', removed.length ? t('activity.labelsRemoved', { labels: removed.join(', ') }) : ''].filter(Boolean);
      return t('activity.labels', { who, what: parts.join(t('activity.and')) });
    }
    case 'priority_changed':
      return t('activity.priority', { who, priority: t(`priority.${String(a.to)}`, { defaultValue: String(a.to) }) });
    case 'contact_merged':
      return t('activity.merged', { who, from: a.fromName || t('contact.unknown'), into: a.intoName || t('contact.unknown') });
    default:
      return t('activity.other', { who, what: String(a.activity ?? '') });
  }
}
