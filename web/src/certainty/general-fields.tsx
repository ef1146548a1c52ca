import { useTranslation } from 'react-i18next';
import { TextArea, TextField } from '../ui/field';
import type { GeneralDraft } from './general-settings';

/**
 * Promise acknowledgement, default promise, status-link lifetime and the "call this customer" thresholds: part
 * of the certainty settings form, saved with it. `errors` are by the server's path of each setting.
 */
export function GeneralFields({ draft, onChange, errors }: { draft: GeneralDraft; onChange(d: GeneralDraft): void; errors: Record<string, string | undefined> }) {
  const { t } = useTranslation();
  const set = (patch: Partial<GeneralDraft>) => onChange({ ...draft, ...patch });
  return (
    <>
      <fieldset className="card stack" data-testid="promise-settings">
        <legend>{t('certainty.settings.promiseTitle')}</legend>
        <label className="check-line">
          <input type="checkbox" checked={draft.promiseAcknowledgement} onChange={(e) => set({ promiseAcknowledgement: e.target.checked })} />
          {t('certainty.settings.acknowledgement')}
        </label>
        <p className="hint">{t('certainty.settings.acknowledgementHint')}</p>
        <p className="muted small">{t('certainty.settings.defaultsHint')}</p>
        <div className="grid-2">
          <TextField
            label={t('certainty.settings.defaultFirstResponse')}
            type="number"
            inputMode="numeric"
            value={draft.firstResponseMinutes}
            error={errors['promiseDefaults.firstResponseMinutes']}
            onChange={(e) => set({ firstResponseMinutes: e.target.value })}
          />
          <TextField
            label={t('certainty.settings.defaultResolution')}
            type="number"
            inputMode="numeric"
            value={draft.resolutionMinutes}
            error={errors['promiseDefaults.resolutionMinutes']}
            onChange={(e) => set({ resolutionMinutes: e.target.value })}
          />
        </div>
        <TextField
          label={t('certainty.settings.statusLinkDays')}
          hint={t('certainty.settings.statusLinkDaysHint')}
          type="number"
          inputMode="numeric"
          value={draft.statusLinkDays}
          error={errors.statusLinkDays}
          onChange={(e) => set({ statusLinkDays: e.target.value })}
        />
      </fieldset>

      <fieldset className="card stack" data-testid="ping-pong-settings">
        <legend>{t('certainty.settings.pingPongTitle')}</legend>
        <p className="muted small">{t('certainty.settings.pingPongHint')}</p>
        <div className="grid-2">
          <TextField
            label={t('certainty.settings.exchanges')}
            hint={t('certainty.settings.exchangesHint')}
            type="number"
            inputMode="numeric"
            value={draft.exchanges}
            error={errors['pingPong.exchanges']}
            onChange={(e) => set({ exchanges: e.target.value })}
          />
          <TextField
            label={t('certainty.settings.repeatSimilarity')}
            hint={t('certainty.settings.repeatSimilarityHint')}
            type="number"
            inputMode="numeric"
            value={draft.repeatSimilarityPercent}
            error={errors['pingPong.repeatSimilarity']}
            onChange={(e) => set({ repeatSimilarityPercent: e.target.value })}
          />
        </div>
        <TextArea
          label={t('certainty.settings.frustrationWords')}
          hint={t('certainty.settings.frustrationWordsHint')}
          rows={4}
          value={draft.frustrationWords}
          error={errors['pingPong.frustrationWords']}
          onChange={(e) => set({ frustrationWords: e.target.value })}
        />
      </fieldset>
    </>
  );
}
