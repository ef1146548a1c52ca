import { useEffect } from 'react';

/**
 * Keyboard shortcuts are handled in one place (the shell) and reach the component that owns the action
 * through these named commands, so the composer, the header menus and the list stay independent.
 */
export type Command =
  | { type: 'reply' }
  | { type: 'note' }
  | { type: 'assign' }
  | { type: 'labels' }
  | { type: 'snooze' }
  | { type: 'priority' }
  | { type: 'resolve' };

const bus = new EventTarget();

export function runCommand(c: Command) {
  bus.dispatchEvent(new CustomEvent('command', { detail: c }));
}

export function useCommand(type: Command['type'], handler: (c: Command) => void) {
  useEffect(() => {
    const l = (e: Event) => {
      const c = (e as CustomEvent<Command>).detail;
      if (c.type === type) handler(c);
    };
    bus.addEventListener('command', l);
    return () => bus.removeEventListener('command', l);
  }, [type, handler]);
}
