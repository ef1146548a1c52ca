import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ChangeEvent, type KeyboardEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api/client';
import { keys, usePreferences, useUsers } from '../api/queries';
import { applyMessage } from '../api/live-updates';
import { realtime } from '../api/realtime';
import type { Conversation, Message } from '../api/types';
import { useMe } from '../auth/session';
import { bytes } from '../i18n/format';
import { useCommand } from '../shell/commands';
import { Popover } from '../ui/popover';
import { errorMessage } from '../ui/feedback';
import { IconLink, IconNote, IconPaperclip, IconSend, IconSmile, IconX } from '../ui/icons';
import { Avatar } from '../ui/avatar';
import { clearDraft, loadDraft, saveDraft } from './drafts';
import { EmojiPicker } from './emoji-picker';
import { CoachHints } from '../certainty/coach-hints';
import { ChannelLimits, type TemplateChoice } from './channel-limits';
import { EmailFields, planEmailSend, useEmailDraft } from './email-fields';

/** A recipient field that is wrong: shown as the composer's error, nothing is sent. */
class EmailFieldError extends Error {}

/** The API takes attachments base64-encoded in the JSON body; this keeps a message within the server's body limit. */
const MAX_ATTACHMENT_BYTES = 3_500_000;
const TYPING_IDLE_MS = 4000;

interface Mention {
  id: string;
  name: string;
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

/**
 * Reply or internal note. Ctrl/⌘+Enter sends; the draft is kept per conversation; @name in a note mentions a
 * colleague (they get a notification); colleagues see "typing…" while the agent writes.
 */
export function Composer({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation();
  const { user } = useMe();
  const qc = useQueryClient();
  const users = useUsers().data ?? [];
  const prefs = usePreferences().data;
  const id = conversation.id;
  const initial = useMemo(() => loadDraft(user.id, id), [user.id, id]);
  const [content, setContent] = useState(initial?.content ?? '');
  const [mode, setMode] = useState<'message' | 'note'>(initial?.mode ?? 'message');
  const [mentions, setMentions] = useState<Mention[]>(initial?.mentions ?? []);
  const [files, setFiles] = useState<File[]>([]);
  const [template, setTemplate] = useState<TemplateChoice | null>(null);
  const [error, setError] = useState<{ text: string; retry: boolean } | null>(null);
  const [mentionQuery, setMentionQuery] = useState<{ q: string; start: number } | null>(null);
  const [mentionIndex, setMentionIndex] = useState(0);
  const area = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // Where the caret goes after the text was changed programmatically (a picked mention, an emoji). It is placed in
  // the same commit as the new text, not in a later animation frame: on a busy machine a frame comes after the next
  // keys, and moving the caret back then would put those keys in front of what was already typed.
  const pendingCaret = useRef<number | null>(null);
  const hintId = useId();
  const closed = conversation.status === 'closed';
  const email = useEmailDraft(conversation);

  // A different conversation: load its draft.
  useEffect(() => {
    const d = loadDraft(user.id, id);
    setContent(d?.content ?? '');
    setMode(d?.mode ?? 'message');
    setMentions(d?.mentions ?? []);
    setFiles([]);
    setTemplate(null);
    setError(null);
  }, [user.id, id]);

  useEffect(() => {
    const h = setTimeout(() => saveDraft(user.id, id, { content, mode, mentions }), 250);
    return () => clearTimeout(h);
  }, [user.id, id, content, mode, mentions]);

  useEffect(
    () => () => {
      if (typingTimer.current) clearTimeout(typingTimer.current);
    },
    [],
  );

  const focus = useCallback((m: 'message' | 'note') => {
    setMode(m);
    // Synchronously: the agent types right after pressing r, and those keys must land in the text.
    area.current?.focus();
  }, []);
  useCommand('reply', useCallback(() => focus('message'), [focus]));
  useCommand('note', useCallback(() => focus('note'), [focus]));

  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  const tooLarge = totalBytes > MAX_ATTACHMENT_BYTES;
  const effectiveMode = closed ? 'note' : mode;

  const send = useMutation({
    mutationFn: async () => {
      const plan = email.isEmail && effectiveMode === 'message' ? planEmailSend(email.draft) : null;
      if (plan && !plan.ok) throw new EmailFieldError(plan.error.key === 'emailCompose.invalid' ? t(plan.error.key, { address: plan.error.address }) : t(plan.error.key));
      const attachments = await Promise.all(files.map(async (f) => ({ fileName: f.name, contentType: f.type || 'application/octet-stream', data: await readBase64(f) })));
      if (plan?.ok && plan.forward) {
        return api.post<Message>(`/api/v1/conversations/${id}/email/forward`, { to: plan.to, ...(plan.cc.length ? { cc: plan.cc } : {}), comment: content, ...(attachments.length ? { attachments } : {}) });
      }
      const used = effectiveMode === 'note' ? mentions.filter((m) => content.includes(`@${m.name}`)).map((m) => m.id) : [];
      return api.post<Message>(`/api/v1/conversations/${id}/messages`, {
        content,
        kind: effectiveMode,
        ...(attachments.length ? { attachments } : {}),
        ...(used.length ? { mentions: [...new Set(used)] } : {}),
        ...(template && effectiveMode === 'message' ? { contentAttributes: { template } } : {}),
        ...(plan?.ok && !plan.forward ? { contentAttributes: { email: plan.email } } : {}),
      });
    },
    onSuccess: (m) => {
      applyMessage(qc, m);
      void qc.invalidateQueries({ queryKey: keys.conversation(id) });
      clearDraft(user.id, id);
      setContent('');
      setFiles([]);
      setMentions([]);
      setTemplate(null);
      setError(null);
      email.reset();
      realtime.announce(id, 'viewing');
    },
    onError: (err) => {
      if (err instanceof EmailFieldError) setError({ text: err.message, retry: false });
      else if (err instanceof ApiError && err.status === 401) setError({ text: t('composer.sessionEnded'), retry: true });
      else setError({ text: errorMessage(t, err), retry: !(err instanceof ApiError) || err.retryable });
    },
  });

  const forwarding = email.isEmail && effectiveMode === 'message' && email.draft.forward;
  const canSend = (content.trim().length > 0 || files.length > 0 || forwarding) && !tooLarge && !send.isPending;
  const submit = () => {
    if (canSend) send.mutate();
  };

  const candidates = useMemo(() => {
    if (!mentionQuery) return [];
    const q = mentionQuery.q.toLowerCase();
    return users.filter((u) => u.id !== user.id && u.name.toLowerCase().includes(q)).slice(0, 6);
  }, [mentionQuery, users, user.id]);

  const pickMention = (u: { id: string; name: string }) => {
    if (!mentionQuery) return;
    const before = content.slice(0, mentionQuery.start);
    const after = content.slice(area.current?.selectionStart ?? content.length);
    const next = `${before}@${u.name} ${after}`;
    setContent(next);
    setMentions((m) => (m.some((x) => x.id === u.id) ? m : [...m, { id: u.id, name: u.name }]));
    setMentionQuery(null);
    pendingCaret.current = before.length + u.name.length + 2;
  };

  useLayoutEffect(() => {
    const pos = pendingCaret.current;
    if (pos === null) return;
    pendingCaret.current = null;
    area.current?.focus();
    area.current?.setSelectionRange(pos, pos);
  }, [content]);

  const onChange = (e: ChangeEvent<HTMLTextAreaElement>) => {
    const value = e.target.value;
    setContent(value);
    setError(null);
    if (effectiveMode === 'note') {
      const caret = e.target.selectionStart;
      const m = /(^|\s)@([\p{L}\p{N}.'-]{0,30})$/u.exec(value.slice(0, caret));
      setMentionQuery(m ? { q: m[2]!, start: caret - m[2]!.length - 1 } : null);
      setMentionIndex(0);
    }
    realtime.announce(id, 'typing');
    if (typingTimer.current) clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(() => realtime.announce(id, 'viewing'), TYPING_IDLE_MS);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (mentionQuery && candidates.length) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setMentionIndex((i) => (i + (e.key === 'ArrowDown' ? 1 : candidates.length - 1)) % candidates.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        pickMention(candidates[mentionIndex]!);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setMentionQuery(null);
        return;
      }
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey || (prefs?.sendWithEnter && !e.shiftKey))) {
      e.preventDefault();
      submit();
    }
    if (e.key === 'Escape') area.current?.blur();
  };

  // At the caret as it is now, into the text as it is now: a status link arrives after a request, and the agent
  // may have typed meanwhile.
  const insert = (text: string) => {
    const el = area.current;
    const start = el?.selectionStart ?? content.length;
    const end = el?.selectionEnd ?? content.length;
    setContent((c) => c.slice(0, start) + text + c.slice(end));
    pendingCaret.current = start + text.length;
  };

  // The conversation's case-status link (made on first use, the same one after): the customer sees status,
  // promise and next step there instead of asking again.
  const statusLink = useMutation({
    mutationFn: () => api.post<{ url: string }>(`/api/v1/conversations/${id}/status-link`),
    onSuccess: ({ url }) => {
      const el = area.current;
      const before = (el ? el.value.slice(0, el.selectionStart) : content).slice(-1);
      insert(`${before && !/\s/.test(before) ? ' ' : ''}${url} `);
      setError(null);
    },
    onError: (err) => setError({ text: errorMessage(t, err), retry: false }),
  });

  return (
    <form
      className={`composer${effectiveMode === 'note' ? ' composer-note' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      aria-label={t('composer.label')}
    >
      <div className="composer-tabs" role="group" aria-label={t('composer.mode')}>
        <button type="button" className="composer-tab" aria-pressed={effectiveMode === 'message'} disabled={closed} onClick={() => focus('message')}>
          {t('composer.reply')}
        </button>
        <button type="button" className="composer-tab" aria-pressed={effectiveMode === 'note'} onClick={() => focus('note')}>
          <IconNote /> {t('composer.note')}
        </button>
        {closed ? <span className="muted small">{t('composer.closed')}</span> : null}
      </div>
      <div className="composer-box">
        {email.isEmail && effectiveMode === 'message' ? (
          <EmailFields
            draft={email.draft}
            defaults={email.defaults}
            idPrefix={hintId}
            onChange={(d) => {
              email.setDraft(d);
              setError(null);
            }}
          />
        ) : null}
        <label className="sr-only" htmlFor={`${hintId}-area`}>
          {effectiveMode === 'note' ? t('composer.notePlaceholder') : t('composer.replyPlaceholder', { name: conversation.contact.name || t('contact.unknown') })}
        </label>
        <textarea
          id={`${hintId}-area`}
          ref={area}
          className="composer-input"
          dir="auto"
          value={content}
          onChange={onChange}
          onKeyDown={onKeyDown}
          placeholder={effectiveMode === 'note' ? t('composer.notePlaceholder') : t('composer.replyPlaceholder', { name: conversation.contact.name || t('contact.unknown') })}
          aria-describedby={hintId}
          rows={3}
        />
        {mentionQuery && candidates.length ? (
          <ul className="mention-list" role="listbox" aria-label={t('composer.mentionList')}>
            {candidates.map((u, i) => (
              <li key={u.id} role="option" aria-selected={i === mentionIndex}>
                <button type="button" className="menu-item" onMouseDown={(e) => e.preventDefault()} onClick={() => pickMention(u)}>
                  <Avatar name={u.name} id={u.id} size={20} /> {u.name}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        {files.length ? (
          <ul className="composer-files">
            {files.map((f, i) => (
              <li key={`${f.name}-${i}`} className="chip file-chip">
                <span dir="auto">{f.name}</span> <span className="muted">{bytes(f.size)}</span>
                <button type="button" className="icon-btn" aria-label={t('composer.removeFile', { name: f.name })} onClick={() => setFiles(files.filter((_, j) => j !== i))}>
                  <IconX />
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        {tooLarge ? (
          <p className="form-error" role="alert">
            {t('composer.tooLarge', { max: bytes(MAX_ATTACHMENT_BYTES) })}
          </p>
        ) : null}
        {error ? (
          <div className="form-error composer-error" role="alert">
            <span>{error.text}</span>
            {error.retry ? (
              <button type="button" className="btn btn-small" onClick={submit}>
                {t('common.retry')}
              </button>
            ) : null}
          </div>
        ) : null}
        {effectiveMode === 'message' ? <CoachHints draft={content} onApply={setContent} /> : null}
        {effectiveMode === 'message' ? (
          <ChannelLimits
            conversation={conversation}
            content={content}
            template={template}
            onTemplate={(choice, text) => {
              setTemplate(choice);
              if (choice) setContent(text);
            }}
          />
        ) : null}
        <div className="composer-bar">
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            onChange={(e) => {
              setFiles([...files, ...Array.from(e.target.files ?? [])].slice(0, 10));
              e.target.value = '';
            }}
          />
          <button type="button" className="icon-btn" onClick={() => fileInput.current?.click()} aria-label={t('composer.attach')} title={t('composer.attach')}>
            <IconPaperclip />
          </button>
          <Popover label={t('composer.emoji')} buttonClassName="icon-btn" button={<IconSmile />}>
            {(close) => (
              <EmojiPicker
                onPick={(e) => {
                  close();
                  insert(e);
                }}
              />
            )}
          </Popover>
          {effectiveMode === 'message' ? (
            <button
              type="button"
              className="icon-btn"
              onClick={() => statusLink.mutate()}
              disabled={statusLink.isPending}
              aria-label={statusLink.isPending ? t('composer.statusLinkInserting') : t('composer.statusLink')}
              title={t('composer.statusLinkTitle')}
              data-testid="insert-status-link"
            >
              <IconLink />
            </button>
          ) : null}
          <span className="composer-hint" id={hintId}>
            {prefs?.sendWithEnter ? t('composer.hintEnter') : t('composer.hint')}
            {effectiveMode === 'note' ? ` · ${t('composer.mentionHint')}` : ''}
          </span>
          <button type="submit" className={`btn ${effectiveMode === 'note' ? 'note-btn' : 'primary'}`} disabled={!canSend}>
            <IconSend /> {send.isPending ? t('composer.sending') : effectiveMode === 'note' ? t('composer.addNote') : t('composer.send')}
          </button>
        </div>
      </div>
    </form>
  );
}
