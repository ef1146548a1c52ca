import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, currentWorkspaceId } from '../api/client';
import { ErrorState, Spinner } from '../ui/feedback';
import { SelectField, TextArea, TextField } from '../ui/field';
import { IconPlus } from '../ui/icons';
import { ConfirmButton, SectionHeader, useSave } from '../settings/common';

/**
 * The knowledge-base editor: categories, articles in Markdown with Dutch and English versions linked to each
 * other, draft or published, and a preview rendered by the server exactly as the help center shows it.
 */
type Locale = 'nl' | 'en';
export interface KbArticle {
  id: string;
  translationKey: string;
  locale: Locale;
  categoryId: string | null;
  title: string;
  slug: string;
  body: string;
  status: 'draft' | 'published';
  helpfulYes: number;
  helpfulNo: number;
}
export interface KbCategory {
  id: string;
  locale: Locale;
  name: string;
  slug: string;
  position: number;
}

const kbKeys = { articles: ['kb', 'articles'] as const, categories: ['kb', 'categories'] as const };
const useArticles = () => useQuery({ queryKey: kbKeys.articles, queryFn: () => api.get<{ items: KbArticle[] }>('/api/v1/kb/articles'), select: (d) => d.items });
const useCategories = () => useQuery({ queryKey: kbKeys.categories, queryFn: () => api.get<{ items: KbCategory[] }>('/api/v1/kb/categories'), select: (d) => d.items });

export function helpCenterPath(a: Pick<KbArticle, 'locale' | 'slug'>): string {
  return `/help/${currentWorkspaceId() ?? ''}/${a.locale}/${a.slug}`;
}

export function KnowledgeBaseSettings() {
  const { t } = useTranslation();
  const articles = useArticles();
  const categories = useCategories();
  const [editing, setEditing] = useState<KbArticle | 'new' | null>(null);
  if (articles.isPending || categories.isPending) return <Spinner />;
  if (articles.isError) return <ErrorState error={articles.error} onRetry={() => void articles.refetch()} />;
  if (categories.isError) return <ErrorState error={categories.error} onRetry={() => void categories.refetch()} />;
  if (editing) return <ArticleEditor article={editing === 'new' ? undefined : editing} articles={articles.data} categories={categories.data} onDone={() => setEditing(null)} />;
  const categoryName = (id: string | null) => categories.data.find((c) => c.id === id)?.name ?? t('kbAdmin.uncategorised');
  return (
    <section className="settings-section">
      <SectionHeader
        title={t('settings.sections.knowledge')}
        intro={t('kbAdmin.intro')}
        action={
          <button type="button" className="btn primary" onClick={() => setEditing('new')}>
            <IconPlus /> {t('kbAdmin.newArticle')}
          </button>
        }
      />
      {articles.data.length === 0 ? <p className="card muted">{t('kbAdmin.noArticles')}</p> : null}
      <ul className="card list-card" aria-label={t('kbAdmin.articles')}>
        {articles.data.map((a) => (
          <li key={a.id} className="list-line" data-article={a.slug}>
            <span className={`pill ${a.status === 'published' ? 'pill-ok' : ''}`}>{t(`kbAdmin.status.${a.status}`)}</span>
            <span className="grow">
              <strong>{a.title}</strong>
              <span className="muted small block">
                {a.locale.toUpperCase()} · {categoryName(a.categoryId)} · {t('kbAdmin.helpful', { yes: a.helpfulYes, no: a.helpfulNo })}
              </span>
            </span>
            {a.status === 'published' ? (
              <a className="btn btn-small" href={helpCenterPath(a)} target="_blank" rel="noopener">
                {t('kbAdmin.view')}
              </a>
            ) : null}
            <button type="button" className="btn btn-small" onClick={() => setEditing(a)}>
              {t('common.edit')}
            </button>
          </li>
        ))}
      </ul>
      <Categories categories={categories.data} />
    </section>
  );
}

function Categories({ categories }: { categories: KbCategory[] }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [locale, setLocale] = useState<Locale>('nl');
  const add = useSave(() => api.post('/api/v1/kb/categories', { name, locale }), {
    invalidate: [kbKeys.categories],
    done: t('settings.saved'),
    onSuccess: () => setName(''),
  });
  const remove = useSave((id: string) => api.del(`/api/v1/kb/categories/${id}`), { invalidate: [kbKeys.categories, kbKeys.articles], done: t('settings.deleted') });
  return (
    <div className="card stack">
      <h2>{t('kbAdmin.categories')}</h2>
      {categories.length === 0 ? <p className="muted small">{t('kbAdmin.noCategories')}</p> : null}
      <ul className="list-card">
        {categories.map((c) => (
          <li key={c.id} className="list-line">
            <span className="grow">
              {c.name} <span className="muted small">{c.locale.toUpperCase()}</span>
            </span>
            <ConfirmButton label={t('common.delete')} confirm={t('kbAdmin.deleteCategoryConfirm')} onConfirm={() => remove.mutate(c.id)} />
          </li>
        ))}
      </ul>
      <form
        className="row-buttons"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate(undefined);
        }}
      >
        <TextField label={t('kbAdmin.categoryName')} value={name} onChange={(e) => setName(e.target.value)} error={add.errors.name} />
        <SelectField label={t('kbAdmin.language')} value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
          <option value="nl">Nederlands</option>
          <option value="en">English</option>
        </SelectField>
        <button type="submit" className="btn" disabled={!name.trim() || add.isPending}>
          {t('kbAdmin.addCategory')}
        </button>
      </form>
    </div>
  );
}

function ArticleEditor({ article, articles, categories, onDone }: { article?: KbArticle; articles: KbArticle[]; categories: KbCategory[]; onDone(): void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState({
    title: article?.title ?? '',
    locale: article?.locale ?? ('nl' as Locale),
    categoryId: article?.categoryId ?? null,
    status: article?.status ?? ('draft' as KbArticle['status']),
    body: article?.body ?? '',
    translationOf: null as string | null,
  });
  const [preview, setPreview] = useState<string | null>(null);
  const set = <K extends keyof typeof draft>(k: K, v: (typeof draft)[K]) => setDraft({ ...draft, [k]: v });
  const otherLocale = articles.filter((a) => a.locale !== draft.locale && a.id !== article?.id);
  const linked = article ? articles.find((a) => a.translationKey === article.translationKey && a.id !== article.id) : undefined;
  const save = useSave(
    () => {
      const body = { ...draft, translationOf: draft.translationOf ?? undefined };
      return article ? api.put(`/api/v1/kb/articles/${article.id}`, body) : api.post('/api/v1/kb/articles', body);
    },
    { invalidate: [kbKeys.articles], done: t('settings.saved'), onSuccess: onDone },
  );
  const remove = useSave(() => api.del(`/api/v1/kb/articles/${article!.id}`), { invalidate: [kbKeys.articles], done: t('settings.deleted'), onSuccess: onDone });
  const showPreview = useSave(() => api.post<{ html: string }>('/api/v1/kb/preview', { body: draft.body }), { onSuccess: (r) => setPreview(r.html) });
  return (
    <section className="settings-section">
      <SectionHeader title={article ? t('kbAdmin.editTitle', { title: article.title }) : t('kbAdmin.newArticle')} />
      <form
        className="card stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(undefined);
        }}
      >
        <TextField label={t('kbAdmin.title')} value={draft.title} maxLength={200} onChange={(e) => set('title', e.target.value)} error={save.errors.title} required />
        <div className="row-buttons">
          <SelectField label={t('kbAdmin.language')} value={draft.locale} onChange={(e) => setDraft({ ...draft, locale: e.target.value as Locale, categoryId: null, translationOf: null })}>
            <option value="nl">Nederlands</option>
            <option value="en">English</option>
          </SelectField>
          <SelectField label={t('kbAdmin.category')} value={draft.categoryId ?? ''} onChange={(e) => set('categoryId', e.target.value || null)} error={save.errors.categoryId}>
            <option value="">{t('kbAdmin.uncategorised')}</option>
            {categories
              .filter((c) => c.locale === draft.locale)
              .map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
          </SelectField>
          <SelectField label={t('kbAdmin.statusLabel')} value={draft.status} onChange={(e) => set('status', e.target.value as KbArticle['status'])}>
            <option value="draft">{t('kbAdmin.status.draft')}</option>
            <option value="published">{t('kbAdmin.status.published')}</option>
          </SelectField>
        </div>
        {linked ? (
          <p className="hint">{t('kbAdmin.linkedTo', { title: linked.title, locale: linked.locale.toUpperCase() })}</p>
        ) : (
          <SelectField label={t('kbAdmin.translationOf')} hint={t('kbAdmin.translationHint')} value={draft.translationOf ?? ''} onChange={(e) => set('translationOf', e.target.value || null)} error={save.errors.translationOf}>
            <option value="">{t('kbAdmin.noTranslation')}</option>
            {otherLocale.map((a) => (
              <option key={a.id} value={a.id}>
                {a.title} ({a.locale.toUpperCase()})
              </option>
            ))}
          </SelectField>
        )}
        <TextArea label={t('kbAdmin.body')} hint={t('kbAdmin.bodyHint')} rows={14} value={draft.body} onChange={(e) => set('body', e.target.value)} error={save.errors.body} className="input mono" />
        <div className="row-buttons">
          <button type="button" className="btn" onClick={() => showPreview.mutate(undefined)} disabled={showPreview.isPending}>
            {t('kbAdmin.preview')}
          </button>
        </div>
        {preview !== null ? (
          // Rendered by the server's safe Markdown renderer (no HTML from the author, only safe links).
          <div className="kb-preview card" aria-label={t('kbAdmin.preview')} dangerouslySetInnerHTML={{ __html: preview }} />
        ) : null}
        {save.errors['(root)'] ? <p className="form-error">{save.errors['(root)']}</p> : null}
        <div className="row-buttons">
          <button type="submit" className="btn primary" disabled={save.isPending || !draft.title.trim()}>
            {t('common.save')}
          </button>
          <button type="button" className="btn" onClick={onDone}>
            {t('common.cancel')}
          </button>
          {article ? <ConfirmButton label={t('common.delete')} confirm={t('kbAdmin.deleteConfirm')} onConfirm={() => remove.mutate(undefined)} /> : null}
        </div>
      </form>
    </section>
  );
}
