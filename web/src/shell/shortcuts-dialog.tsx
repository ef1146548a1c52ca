import { useTranslation } from 'react-i18next';
import { Dialog } from '../ui/dialog';

export const shortcutList: { keys: string[]; action: string }[] = [
  { keys: ['j'], action: 'next' },
  { keys: ['k'], action: 'previous' },
  { keys: ['r'], action: 'reply' },
  { keys: ['n'], action: 'note' },
  { keys: ['e'], action: 'resolve' },
  { keys: ['a'], action: 'assign' },
  { keys: ['l'], action: 'labels' },
  { keys: ['s'], action: 'snooze' },
  { keys: ['p'], action: 'priority' },
  { keys: ['x'], action: 'select' },
  { keys: ['Ctrl', 'K'], action: 'search' },
  { keys: ['/'], action: 'search' },
  { keys: ['Ctrl', 'Enter'], action: 'send' },
  { keys: ['Esc'], action: 'escape' },
  { keys: ['?'], action: 'help' },
];

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} onClose={onClose} title={t('shortcuts.title')}>
      <table className="shortcuts">
        <tbody>
          {shortcutList.map((s, i) => (
            <tr key={i}>
              <td>
                {s.keys.map((k, j) => (
                  <span key={k}>
                    {j > 0 ? ' + ' : ''}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{t(`shortcuts.${s.action}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
